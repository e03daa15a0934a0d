package processonesim

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// batchState is the answer of the batch controls.
type batchState struct {
	Open      int        `json:"open"`
	Closed    int        `json:"closed,omitempty"`
	NextClose *time.Time `json:"next_close,omitempty"`
}

// control serves the ProcessOne-specific /_sim/ knobs:
//
//	POST /_sim/batch/close  close the open batch now
//	GET  /_sim/batch        the open batch and the next scheduled close
//	GET  /_sim/config       the current options
//	POST /_sim/config       change options (a partial Options JSON)
//	POST /_sim/reset        forget every transaction and token
func (s *Simulator) control(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roll()
	switch {
	case r.URL.Path == "/_sim/batch/close" && r.Method == http.MethodPost:
		closed := s.st.closeBatch()
		writeJSON(w, http.StatusOK, s.batchState(closed))
	case r.URL.Path == "/_sim/batch" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.batchState(0))
	case r.URL.Path == "/_sim/config" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.opts.masked())
	case r.URL.Path == "/_sim/config" && r.Method == http.MethodPost:
		s.configure(w, r)
	case r.URL.Path == "/_sim/reset" && r.Method == http.MethodPost:
		s.st = newStore(s.opts.FirstTransactionID)
		s.st.nextClose = s.opts.nextCutoff(s.opts.Now())
		w.WriteHeader(http.StatusNoContent)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown control " + r.Method + " " + r.URL.Path})
	}
}

func (s *Simulator) batchState(closed int) batchState {
	b := batchState{Open: s.st.batch, Closed: closed}
	if !s.st.nextClose.IsZero() {
		b.NextClose = &s.st.nextClose
	}
	return b
}

func (s *Simulator) configure(w http.ResponseWriter, r *http.Request) {
	next := s.opts
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&next); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad config: " + jsonProblem(err)})
		return
	}
	next = next.WithDefaults()
	if err := next.validate(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	if next.BatchCutoff != s.opts.BatchCutoff || next.BatchTimeZone != s.opts.BatchTimeZone {
		s.st.nextClose = next.nextCutoff(next.Now())
	}
	s.opts = next
	writeJSON(w, http.StatusOK, s.opts.masked())
}

// roll closes the batches whose scheduled cut-off has passed.
func (s *Simulator) roll() { s.st.roll(s.opts.Now().UTC(), s.opts.nextCutoff) }

// SetBatchCutoff makes the batch close daily at cutoff ("HH:MM" or "off")
// in zone (IANA), as POST /_sim/config with batch_cutoff and
// batch_time_zone does: `switchyard dev` sets it from the demo merchant's
// settlement, so that the simulator closes its batch when the orchestrator
// settles the merchant's sales.
func (s *Simulator) SetBatchCutoff(cutoff, zone string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roll()
	next := s.opts
	next.BatchCutoff, next.BatchTimeZone = cutoff, zone
	next = next.WithDefaults()
	if err := next.validate(); err != nil {
		return err
	}
	s.opts = next
	s.st.nextClose = next.nextCutoff(next.Now())
	return nil
}

// CloseBatch closes the open batch, as POST /_sim/batch/close does, and
// returns its number.
func (s *Simulator) CloseBatch() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.closeBatch()
}

// OpenBatch returns the number of the open batch.
func (s *Simulator) OpenBatch() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roll()
	return s.st.batch
}

// masked is the options with the authentication keys hidden.
func (o Options) masked() Options {
	mask := func(keys []string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = k[:min(2, len(k))] + "***"
		}
		return out
	}
	o.AuthenticationKeys, o.DisabledKeys = mask(o.AuthenticationKeys), mask(o.DisabledKeys)
	return o
}
