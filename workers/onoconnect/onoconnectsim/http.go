package onoconnectsim

import (
	"encoding/json"
	"io"
	"net/http"
)

// maxRequestBody bounds what the simulator reads of a request.
const maxRequestBody = 1 << 20

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, errorBody{Error: code, Message: message})
}

// readBody reads a request body, bounded.
func readBody(r *http.Request) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
}

// merchantFrom checks the X-MerchantId and X-TransactionToken headers and
// returns the merchant id; it answers 401 itself when they are missing or
// the token is not the configured one.
func (s *Simulator) merchantFrom(w http.ResponseWriter, r *http.Request) (string, bool) {
	merchant := r.Header.Get(headerMerchant)
	token := r.Header.Get(headerToken)
	s.mu.Lock()
	want := s.cfg.token
	s.mu.Unlock()
	if merchant == "" || token == "" || (want != "" && token != want) {
		writeError(w, http.StatusUnauthorized, "unauthorized", "bad or missing merchant or transaction token")
		return "", false
	}
	return merchant, true
}
