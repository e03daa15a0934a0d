package utilitysim

import "net/http"

// purchase is what the simulator remembers of one purchase id.
type purchase struct {
	req           PurchaseRequest
	resp          *PurchaseResponse // nil when declined or only reversed
	decline       *ErrorDetail
	declineStatus int
	issued        int // times tokens were issued (stays 1)
	confirmations map[string]bool
	reversals     map[string]bool
}

func newPurchase(req PurchaseRequest) *purchase {
	return &purchase{req: req, confirmations: map[string]bool{}, reversals: map[string]bool{}}
}

func (p *purchase) reversed() bool  { return len(p.reversals) > 0 }
func (p *purchase) confirmed() bool { return len(p.confirmations) > 0 }

// answer is the reply to a purchase or retry for this purchase.
func (p *purchase) answer(ok int) (int, any) {
	if p.decline != nil {
		return p.declineStatus, p.decline
	}
	return ok, p.resp
}

// PurchaseState is what the simulator knows of one purchase id, for tests
// and GET /_sim/purchases/{id}.
type PurchaseState struct {
	ID            string            `json:"id"`
	Attempts      int               `json:"attempts"` // purchase requests received (not retries)
	Issued        int               `json:"issued"`   // times tokens were issued
	Declined      string            `json:"declined,omitempty"`
	Confirmations int               `json:"confirmations"`
	Reversals     int               `json:"reversals"`
	Response      *PurchaseResponse `json:"response,omitempty"`
}

// Purchase returns the state of purchaseID; false when the simulator has
// never heard of it.
func (s *Simulator) Purchase(purchaseID string) (PurchaseState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := PurchaseState{ID: purchaseID, Attempts: s.seen[purchaseID]}
	p := s.purchases[purchaseID]
	if p == nil {
		return st, st.Attempts > 0
	}
	st.Issued, st.Response = p.issued, p.resp
	st.Confirmations, st.Reversals = len(p.confirmations), len(p.reversals)
	if p.decline != nil {
		st.Declined = p.decline.ErrorType
	}
	return st, true
}

func (s *Simulator) handleGetPurchase(w http.ResponseWriter, r *http.Request) {
	st, ok := s.Purchase(r.PathValue("purchaseId"))
	if !ok {
		writeError(w, http.StatusNotFound, ErrNotFound, "no such purchase")
		return
	}
	writeJSON(w, http.StatusOK, st)
}
