package utilitysim

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
)

var errBadPolicy = errors.New(`retryOfUnknown must be "issue" or "decline"`)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, errorType, msg string) {
	writeJSON(w, status, ErrorDetail{ErrorType: errorType, ErrorMessage: msg})
}

// readBody checks the credentials and reads the body; it answers the
// request itself and returns false when they are wrong.
func (s *Simulator) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, ErrAuth, "missing or wrong X-Client-Id / X-Api-Key")
		return nil, false
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, ErrFormat, "unreadable body")
		return nil, false
	}
	return b, true
}

func (s *Simulator) authorized(r *http.Request) bool {
	id, key := r.Header.Get(headerClientID), r.Header.Get(headerAPIKey)
	if id == "" || key == "" {
		return false
	}
	if s.opts.ClientID != "" && subtle.ConstantTimeCompare([]byte(id), []byte(s.opts.ClientID)) != 1 {
		return false
	}
	if s.opts.APIKey != "" && subtle.ConstantTimeCompare([]byte(key), []byte(s.opts.APIKey)) != 1 {
		return false
	}
	return true
}

// hold keeps a swallowed or lost request until the client gives up (or
// Hold passes).
func (s *Simulator) hold(r *http.Request) {
	t := time.NewTimer(s.opts.Hold)
	defer t.Stop()
	select {
	case <-r.Context().Done():
	case <-t.C:
	}
}
