package utilitysim

import "net/http"

// handleConfirm serves POST /tokenPurchases/{purchaseId}/confirmations/{id}.
func (s *Simulator) handleConfirm(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var adv ConfirmationAdvice
	pid, aid := r.PathValue("purchaseId"), r.PathValue("adviceId")
	if perr := parseAdvice(body, &adv, &adv.Advice, pid, aid); perr != nil {
		writeJSON(w, http.StatusBadRequest, perr)
		return
	}
	status, detail := s.confirm(pid, aid)
	writeAdviceAnswer(w, status, detail)
}

// confirm records a confirmation. The same confirmation twice is accepted
// twice; confirming a reversed or declined purchase is refused (400); a
// purchase never received is 404, so the client keeps repeating.
func (s *Simulator) confirm(pid, aid string) (int, *ErrorDetail) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.purchases[pid]
	switch {
	case p == nil:
		return http.StatusNotFound, &ErrorDetail{ErrorType: ErrNotFound, ErrorMessage: "purchase not found", ID: aid, OriginalID: pid}
	case p.confirmations[aid]:
		return http.StatusAccepted, nil
	case p.reversed():
		return http.StatusBadRequest, &ErrorDetail{ErrorType: ErrInvalidAdvice, ErrorMessage: "purchase was reversed", ID: aid, OriginalID: pid}
	case p.decline != nil:
		return http.StatusBadRequest, &ErrorDetail{ErrorType: ErrInvalidAdvice, ErrorMessage: "purchase was declined", ID: aid, OriginalID: pid}
	}
	p.confirmations[aid] = true
	return http.StatusAccepted, nil
}

// handleReverse serves POST /tokenPurchases/{purchaseId}/reversals/{id}.
func (s *Simulator) handleReverse(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var adv ReversalAdvice
	pid, aid := r.PathValue("purchaseId"), r.PathValue("adviceId")
	if perr := parseAdvice(body, &adv, &adv.Advice, pid, aid); perr != nil {
		writeJSON(w, http.StatusBadRequest, perr)
		return
	}
	status, detail := s.reverse(pid, aid)
	writeAdviceAnswer(w, status, detail)
}

// reverse records a reversal. The same reversal twice is accepted twice; a
// confirmed purchase cannot be reversed (400); a purchase never received is
// accepted and remembered, so that the purchase, arriving late, is refused.
func (s *Simulator) reverse(pid, aid string) (int, *ErrorDetail) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.purchases[pid]
	switch {
	case p == nil:
		p = newPurchase(PurchaseRequest{ID: pid})
		s.purchases[pid] = p
	case p.reversals[aid]:
		return http.StatusAccepted, nil
	case p.confirmed():
		return http.StatusBadRequest, &ErrorDetail{ErrorType: ErrInvalidAdvice, ErrorMessage: "purchase was confirmed", ID: aid, OriginalID: pid}
	}
	p.reversals[aid] = true
	return http.StatusAccepted, nil
}

func writeAdviceAnswer(w http.ResponseWriter, status int, d *ErrorDetail) {
	if d == nil {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, d)
}
