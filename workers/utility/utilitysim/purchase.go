package utilitysim

import (
	"net/http"
)

// handlePurchase serves POST /tokenPurchases/{purchaseId}.
func (s *Simulator) handlePurchase(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	req, perr := parsePurchase(body, r.PathValue("purchaseId"))
	if perr != nil {
		writeJSON(w, http.StatusBadRequest, perr)
		return
	}
	fault := s.attempt(req)
	switch fault {
	case FirstLose:
		s.opts.Logger.Info("utility sim: purchase lost", "purchase_id", req.ID)
		s.hold(r)
		writeError(w, http.StatusGatewayTimeout, ErrUpstreamTimeout, "simulated lost request")
		return
	case First503:
		writeError(w, http.StatusServiceUnavailable, ErrUnavailable, "simulated outage")
		return
	}
	status, answer := s.purchase(req)
	switch fault {
	case FirstSwallow:
		s.opts.Logger.Info("utility sim: purchase swallowed", "purchase_id", req.ID)
		s.hold(r)
	case FirstDrop:
		panic(http.ErrAbortHandler)
	case First504:
		writeError(w, http.StatusGatewayTimeout, ErrUpstreamTimeout, "simulated time-out after vending")
		return
	}
	writeJSON(w, status, answer)
}

// attempt counts a purchase request and returns the fault it suffers, if
// any: a pending swallowNext/loseNext knob first, then the meter's rule for
// the first attempt of each purchase id.
func (s *Simulator) attempt(req PurchaseRequest) FirstAttempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.seen[req.ID]
	s.seen[req.ID] = n + 1
	switch {
	case s.cfg.LoseNext > 0:
		s.cfg.LoseNext--
		return FirstLose
	case s.cfg.SwallowNext > 0:
		s.cfg.SwallowNext--
		return FirstSwallow
	case n == 0:
		return s.cfg.Meters[meterKey(req.Meter)].First
	}
	return ""
}

// purchase vends for a new purchase id; a known id is a duplicate.
func (s *Simulator) purchase(req PurchaseRequest) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.purchases[req.ID]; p != nil {
		if p.reversed() {
			return http.StatusBadRequest, &ErrorDetail{ErrorType: ErrReversed, ErrorMessage: "purchase was reversed", ID: req.ID}
		}
		return http.StatusBadRequest, &ErrorDetail{ErrorType: ErrDuplicate, ErrorMessage: "purchase exists; use /retry", ID: req.ID}
	}
	p := s.vend(req)
	s.purchases[req.ID] = p
	return p.answer(http.StatusCreated)
}

// handleRetry serves POST /tokenPurchases/{purchaseId}/retry.
func (s *Simulator) handleRetry(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	req, perr := parsePurchase(body, r.PathValue("purchaseId"))
	if perr != nil {
		writeJSON(w, http.StatusBadRequest, perr)
		return
	}
	status, answer := s.retry(req)
	writeJSON(w, status, answer)
}

// retry returns the tokens already issued, repeats an earlier decline, or
// handles a purchase never received by the RetryOfUnknown policy (a
// declined retry of one leaves no trace: a purchase with its id may follow).
func (s *Simulator) retry(req PurchaseRequest) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.purchases[req.ID]
	switch {
	case p == nil && s.cfg.RetryOfUnknown == RetryDecline:
		// Nothing is remembered: the purchase, sent (again) with this id,
		// is vended as a normal one, and then a late original is a
		// duplicate.
		return http.StatusNotFound, &ErrorDetail{ErrorType: ErrNotFound, ErrorMessage: "original purchase not received", ID: req.ID}
	case p == nil:
		p = s.vend(req)
		s.purchases[req.ID] = p
	case p.reversed():
		return http.StatusBadRequest, &ErrorDetail{ErrorType: ErrReversed, ErrorMessage: "purchase was reversed", ID: req.ID}
	case !sameVend(p.req, req):
		return http.StatusBadRequest, formatError("retry differs from the original purchase (meter or amount)")
	}
	return p.answer(http.StatusAccepted)
}

func sameVend(a, b PurchaseRequest) bool {
	return meterKey(a.Meter) == meterKey(b.Meter) && a.PurchaseAmount.Amount == b.PurchaseAmount.Amount &&
		a.PurchaseAmount.Currency == b.PurchaseAmount.Currency
}
