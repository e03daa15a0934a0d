package paycodesim

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"time"
)

// parsePay reads a POST /_sim/pay body; the code may be a string or number.
func parsePay(b []byte) (PayRequest, error) {
	var in struct {
		Code flexString `json:"code"`
		PayRequest
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return PayRequest{}, err
	}
	in.PayRequest.Code = string(in.Code)
	if in.PayRequest.Code == "" {
		return PayRequest{}, errors.New("code is required")
	}
	return in.PayRequest, nil
}

func (s *Simulator) handlePay(w http.ResponseWriter, r *http.Request) {
	req, err := parsePay(readBody(r))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, PayError{Status: http.StatusBadRequest, Message: err.Error()})
		return
	}
	res, err := s.Pay(r.Context(), req)
	var pe *PayError
	if errors.As(err, &pe) {
		writeJSON(w, pe.Status, pe)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// Config is the body of POST /_sim/config and the answer of GET.
type Config struct {
	CallbackURL *string `json:"callback_url"` // "" turns callbacks off
	// Accounts are per-account callbacks by username (merged into those
	// set; an empty callback_url removes one). GET answers them without
	// their secrets.
	Accounts map[string]AccountCallback `json:"accounts,omitempty"`
}

// validCallbackURL: "" (off) or an absolute http(s) URL.
func validCallbackURL(s string) bool {
	u, err := url.Parse(s)
	return s == "" || (err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https"))
}

// SetCallbackURL sets where payment notifications go ("" = nowhere).
func (s *Simulator) SetCallbackURL(u string) {
	s.mu.Lock()
	s.callback = u
	s.mu.Unlock()
}

func (s *Simulator) handleConfigSet(w http.ResponseWriter, r *http.Request) {
	var c Config
	if err := json.Unmarshal(readBody(r), &c); err != nil {
		http.Error(w, "bad config: "+err.Error(), http.StatusBadRequest)
		return
	}
	if c.CallbackURL != nil && !validCallbackURL(*c.CallbackURL) {
		http.Error(w, "callback_url must be an http(s) URL", http.StatusBadRequest)
		return
	}
	for user, a := range c.Accounts {
		if !validCallbackURL(a.URL) {
			http.Error(w, "accounts."+user+".callback_url must be an http(s) URL", http.StatusBadRequest)
			return
		}
	}
	if c.CallbackURL != nil {
		s.SetCallbackURL(*c.CallbackURL)
	}
	for user, a := range c.Accounts {
		s.SetAccountCallback(user, a.URL, a.Secret)
	}
	s.handleConfigGet(w, r)
}

func (s *Simulator) handleConfigGet(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	u := s.callback
	accounts := make(map[string]AccountCallback, len(s.accounts))
	for user, a := range s.accounts {
		accounts[user] = AccountCallback{URL: a.URL} // never the secret
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, Config{CallbackURL: &u, Accounts: accounts})
}

// Advance moves the simulator's clock forward (e.g. past an expiry).
func (s *Simulator) Advance(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
}

func (s *Simulator) handleClock(w http.ResponseWriter, r *http.Request) {
	var in struct {
		AdvanceMS int64 `json:"advance_ms"`
	}
	if err := json.Unmarshal(readBody(r), &in); err != nil || in.AdvanceMS < 0 {
		http.Error(w, `want {"advance_ms": N}, N >= 0`, http.StatusBadRequest)
		return
	}
	s.Advance(time.Duration(in.AdvanceMS) * time.Millisecond)
	s.mu.Lock()
	now := s.now()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"now": now.UnixMilli()})
}

// handleCodes lists every code with its status (GET /_sim/codes).
func (s *Simulator) handleCodes(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	now := s.now()
	out := make([]detailsOut, 0, len(s.codes))
	for _, c := range s.codes {
		out = append(out, c.details(s.merchants[c.Merchant], now))
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	writeJSON(w, http.StatusOK, out)
}

// CodeCount returns how many codes the simulator holds (a deleted code is
// gone), for tests that check whether a create landed.
func (s *Simulator) CodeCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.codes)
}
