package onoconnectsim

import (
	"encoding/json"
	"net/http"
)

// finalizeOutcome is what a confirm or reject decided.
type finalizeOutcome int

const (
	finalizeOK finalizeOutcome = iota
	finalizeNotFound
	finalizeConflict
)

// confirmCharge moves an approved charge to confirmed. Confirming a
// confirmed charge is OK again; a declined or rejected one, or one still
// owed a configured conflict, is a conflict.
func confirmCharge(c *simCharge) finalizeOutcome {
	switch {
	case c == nil:
		return finalizeNotFound
	case c.status == StatusConfirmed:
		return finalizeOK
	case c.status != StatusApproved:
		return finalizeConflict
	case c.conflictsLeft > 0:
		c.conflictsLeft--
		return finalizeConflict
	}
	c.status = StatusConfirmed
	return finalizeOK
}

// rejectCharge reverses an approved charge. Rejecting a rejected or declined
// charge is OK (nothing to reverse; a declined one stays declined);
// rejecting a confirmed one is a conflict.
func rejectCharge(c *simCharge) finalizeOutcome {
	switch {
	case c == nil:
		return finalizeNotFound
	case c.status == StatusConfirmed:
		return finalizeConflict
	case c.status == StatusApproved:
		c.status = StatusRejected
	}
	return finalizeOK
}

// parseFinalize checks a confirm/reject body: empty, or a JSON object whose
// transactionId, when present, is the one in the path.
func parseFinalize(body []byte, pathID string) bool {
	if len(body) == 0 {
		return true
	}
	var in finalizeRequest
	if err := json.Unmarshal(body, &in); err != nil {
		return false
	}
	return in.TransactionID == "" || pathID == "" || in.TransactionID == pathID
}

func (s *Simulator) confirm(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("transactionId")
	s.finalize(w, r, id, func(merchant string) finalizeOutcome {
		return confirmCharge(s.st.lookup(merchant, id))
	})
}

func (s *Simulator) reject(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("transactionId")
	s.finalize(w, r, id, func(merchant string) finalizeOutcome {
		return rejectCharge(s.st.lookup(merchant, id))
	})
}

func (s *Simulator) rejectByReference(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("clientTransactionId")
	s.finalize(w, r, "", func(merchant string) finalizeOutcome {
		return rejectCharge(s.st.byRef[refKey{merchant, ref}])
	})
}

// finalize authenticates, checks the body and runs decide under the lock.
func (s *Simulator) finalize(w http.ResponseWriter, r *http.Request, pathID string, decide func(merchant string) finalizeOutcome) {
	merchant, ok := s.merchantFrom(w, r)
	if !ok {
		return
	}
	body, err := readBody(r)
	if err != nil || !parseFinalize(body, pathID) {
		writeError(w, http.StatusBadRequest, "bad_request", "bad or missing JSON input")
		return
	}
	s.mu.Lock()
	out := decide(merchant)
	s.mu.Unlock()
	switch out {
	case finalizeNotFound:
		writeError(w, http.StatusNotFound, codeNotFound, "unknown transaction")
	case finalizeConflict:
		writeError(w, http.StatusConflict, "conflict", "transaction is not in a state that allows this")
	default:
		writeJSON(w, http.StatusOK, struct{}{})
	}
}
