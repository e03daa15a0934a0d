package onoconnectsim

import (
	"encoding/json"
	"net/http"
)

// loginRequest is the body of POST /v2/auth/loginDevice.
type loginRequest struct {
	Terminal     json.RawMessage `json:"terminal"`
	Organization json.RawMessage `json:"organization,omitempty"`
}

// loginResponse is its answer.
type loginResponse struct {
	TransactionToken string         `json:"transactionToken"`
	Merchant         map[string]any `json:"merchant"`
}

// loginDevice answers POST /v2/auth/loginDevice: any terminal object is
// accepted for any X-MerchantId; the token is the configured one, or a new
// random one (which is then accepted, as every non-empty token is).
func (s *Simulator) loginDevice(w http.ResponseWriter, r *http.Request) {
	merchant := r.Header.Get(headerMerchant)
	body, err := readBody(r)
	var in loginRequest
	if err == nil {
		err = json.Unmarshal(body, &in)
	}
	if err != nil || merchant == "" || !isObject(in.Terminal) {
		writeError(w, http.StatusBadRequest, "bad_request", "bad or missing JSON input or X-MerchantId")
		return
	}
	s.mu.Lock()
	token := s.cfg.token
	if token == "" {
		token = "sim_" + s.newID()
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, loginResponse{TransactionToken: token, Merchant: map[string]any{"merchantId": merchant}})
}
