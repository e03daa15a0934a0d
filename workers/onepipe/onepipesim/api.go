package onepipesim

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// simReply is one answer of the simulator, kept for request_ref replays.
type simReply struct {
	status int
	body   Response
}

func writeReply(w http.ResponseWriter, r simReply) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.status)
	_ = json.NewEncoder(w).Encode(r.body)
}

func failReply(status int, code, msg string) simReply {
	return simReply{status: status, body: Response{Status: string(StatusFailed), Message: msg,
		Data: ResponseData{ProviderResponseCode: code, Error: &ErrorItem{Code: code, Message: msg},
			Errors: []ErrorItem{{Code: code, Message: msg}}}}}
}

// op handles one parsed, authenticated request; it runs under mu.
type op func(req *Request) simReply

// api authenticates, parses, replays by request_ref or runs fn.
func (s *Simulator) api(w http.ResponseWriter, r *http.Request, fn op) {
	if !s.authorized(r.Header.Get(headerAuthorization)) {
		writeReply(w, failReply(http.StatusUnauthorized, CodeUnauthorized, "invalid API key"))
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	isOptions := r.URL.Path == PathOptions
	req, err := ParseRequest(body, isOptions)
	if err != nil {
		writeReply(w, failReply(http.StatusBadRequest, CodeFormat, err.Error()))
		return
	}
	unsigned := isOptions && req.RequestRef == ""
	if !unsigned && !verifySignature(req.RequestRef, s.secret(), r.Header.Get(headerSignature)) {
		writeReply(w, failReply(http.StatusUnauthorized, CodeUnauthorized, "invalid Signature"))
		return
	}
	writeReply(w, s.run(req, fn))
}

func (s *Simulator) run(req *Request, fn op) simReply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.RequestRef != "" {
		if prev, ok := s.replies[req.RequestRef]; ok {
			return prev
		}
	}
	rep := fn(req)
	rep.body.Data.Provider = s.opts.Provider
	if req.RequestRef != "" {
		s.replies[req.RequestRef] = rep
	}
	return rep
}

func (s *Simulator) authorized(h string) bool {
	tok, ok := strings.CutPrefix(h, "Bearer ")
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok && strings.TrimSpace(tok) == s.opts.APIKey
}

func (s *Simulator) secret() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts.Secret
}
