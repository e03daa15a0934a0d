package paycodesim

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// errorOut is the simulator's error body (the seed defines statuses only).
type errorOut struct {
	Status  int    `json:"status"`
	Error   string `json:"error"`
	Message string `json:"message,omitempty"`
	Field   string `json:"field,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, errorOut{Status: e.Status, Error: statusText(e.Status), Message: e.Message, Field: e.Field})
}

// login checks HTTP Basic credentials: unknown, wrong or suspended is 403.
func (s *Simulator) login(r *http.Request) (Merchant, *apiError) {
	user, pass, ok := r.BasicAuth()
	s.mu.Lock()
	m, found := s.merchants[user]
	s.mu.Unlock()
	switch {
	case !ok || !found || m.Password != pass:
		return Merchant{}, &apiError{Status: StatusForbidden, Message: "invalid merchant login details"}
	case m.Suspended:
		return Merchant{}, &apiError{Status: StatusForbidden, Message: "merchant suspended"}
	}
	return m, nil
}

func readBody(r *http.Request) []byte {
	b, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	return b
}

func (s *Simulator) handleCreate(w http.ResponseWriter, r *http.Request) {
	m, e := s.login(r)
	if e != nil {
		writeError(w, e)
		return
	}
	in, e := parseCreate(readBody(r))
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := validateCreate(in, m, s.now())
	if e != nil {
		writeError(w, e)
		return
	}
	code, ok := s.newCode()
	if !ok {
		writeError(w, &apiError{Status: StatusSystemError, Message: "no free code number"})
		return
	}
	c.Code = code
	s.codes[c.Code] = c
	writeJSON(w, http.StatusOK, struct {
		Code       string `json:"code"`
		ExpiryDate int64  `json:"expiryDate"`
	}{c.Code, c.ExpiryDate})
}

// newCode draws a code number not in use, giving up after 100 draws (a
// 500). Callers hold s.mu.
func (s *Simulator) newCode() (string, bool) {
	for range 100 {
		c := s.opts.NewCode()
		if _, taken := s.codes[c]; !taken {
			return c, true
		}
	}
	return "", false
}

// codeOp is the part of a per-code call done under the lock, on a code the
// caller owns. It answers a status and a body.
type codeOp func(m Merchant, c *codeState, now time.Time) (int, any)

// withCode runs op after the checks every per-code call shares: 403 login,
// 439 malformed code, 431 unknown code, 513 another merchant's code.
func (s *Simulator) withCode(w http.ResponseWriter, r *http.Request, op codeOp) {
	m, e := s.login(r)
	if e != nil {
		writeError(w, e)
		return
	}
	code := r.PathValue("code")
	if !validCodeRe.MatchString(code) {
		writeError(w, &apiError{Status: StatusInvalidCode, Message: "not a valid code"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[code]
	switch {
	case !ok:
		writeError(w, &apiError{Status: StatusCodeNotFound, Message: "the code does not exist"})
		return
	case c.Merchant != m.Username:
		writeError(w, &apiError{Status: StatusNotOwner, Message: "the code does not belong to the merchant"})
		return
	}
	status, body := op(m, c, s.now())
	if ae, isErr := body.(*apiError); isErr {
		writeError(w, ae)
		return
	}
	writeJSON(w, status, body)
}

// notUsable is the 439 for a code that is used or expired.
func notUsable(c *codeState, now time.Time) *apiError {
	return &apiError{Status: StatusInvalidCode, Message: "the code is " + c.status(now)}
}

func (s *Simulator) handleGet(w http.ResponseWriter, r *http.Request) {
	s.withCode(w, r, func(m Merchant, c *codeState, now time.Time) (int, any) {
		return http.StatusOK, c.details(m, now)
	})
}

func (s *Simulator) handleDelete(w http.ResponseWriter, r *http.Request) {
	s.withCode(w, r, func(m Merchant, c *codeState, now time.Time) (int, any) {
		delete(s.codes, c.Code)
		return http.StatusOK, c.details(m, now)
	})
}

func (s *Simulator) handleUpdate(w http.ResponseWriter, r *http.Request) {
	body := readBody(r)
	s.withCode(w, r, func(m Merchant, c *codeState, now time.Time) (int, any) {
		if !c.usable(now) {
			return 0, notUsable(c, now)
		}
		in, e := parseUpdate(body)
		if e == nil {
			e = applyUpdate(in, c, m, now)
		}
		if e != nil {
			return 0, e
		}
		return http.StatusOK, c.details(m, now)
	})
}

func (s *Simulator) handleAmount(w http.ResponseWriter, r *http.Request) {
	body := readBody(r)
	s.withCode(w, r, func(m Merchant, c *codeState, now time.Time) (int, any) {
		if !c.usable(now) {
			return 0, notUsable(c, now)
		}
		in, e := parseAmount(body)
		if e == nil {
			e = applyAmount(in, c, now)
		}
		if e != nil {
			return 0, e
		}
		return http.StatusOK, c.details(m, now)
	})
}

func (s *Simulator) handleBlock(block bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.withCode(w, r, func(m Merchant, c *codeState, now time.Time) (int, any) {
			if !c.usable(now) {
				return 0, notUsable(c, now)
			}
			c.Blocked = block
			return http.StatusOK, c.details(m, now)
		})
	}
}
