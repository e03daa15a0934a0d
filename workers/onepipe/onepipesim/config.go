package onepipesim

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// Config is the body of POST /_sim/config; absent fields are unchanged.
type Config struct {
	ConsentStatus   *Status `json:"consent_status,omitempty"` // WaitingForOTP | PendingValidation
	OTPOverride     *bool   `json:"otp_override,omitempty"`
	OTP             *string `json:"otp,omitempty"`
	TokenTTLSeconds *int64  `json:"token_ttl_seconds,omitempty"`
	HoldTTLSeconds  *int64  `json:"hold_ttl_seconds,omitempty"`
}

// simConfigView is what GET /_sim/config shows (never the secret or OTP).
type simConfigView struct {
	ConsentStatus   Status `json:"consent_status"`
	OTPOverride     bool   `json:"otp_override"`
	TokenTTLSeconds int64  `json:"token_ttl_seconds"`
	HoldTTLSeconds  int64  `json:"hold_ttl_seconds"`
	Now             string `json:"now"`
}

// clockBody is the body of POST /_sim/clock.
type clockBody struct {
	AdvanceSeconds int64 `json:"advance_seconds"`
}

func (s *Simulator) control(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/_sim/config" && r.Method == http.MethodPost:
		var c Config
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&c); err != nil {
			http.Error(w, "bad config: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := s.Configure(c); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		writeJSON(w, s.configView())
	case r.URL.Path == "/_sim/config" && r.Method == http.MethodGet:
		writeJSON(w, s.configView())
	case r.URL.Path == "/_sim/clock" && r.Method == http.MethodPost:
		var c clockBody
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&c); err != nil {
			http.Error(w, "bad clock: "+err.Error(), http.StatusBadRequest)
			return
		}
		s.Advance(time.Duration(c.AdvanceSeconds) * time.Second)
		writeJSON(w, s.configView())
	case r.URL.Path == "/_sim/state" && r.Method == http.MethodDelete:
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// Configure applies the knobs of c.
func (s *Simulator) Configure(c Config) error {
	if c.ConsentStatus != nil && *c.ConsentStatus != StatusWaitingForOTP && *c.ConsentStatus != StatusPendingValidation {
		return errBadConsentStatus
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ConsentStatus != nil {
		s.opts.ConsentStatus = *c.ConsentStatus
	}
	if c.OTPOverride != nil {
		s.opts.OTPOverride = *c.OTPOverride
	}
	if c.OTP != nil && *c.OTP != "" {
		s.opts.OTP = *c.OTP
	}
	if c.TokenTTLSeconds != nil && *c.TokenTTLSeconds > 0 {
		s.opts.TokenTTL = time.Duration(*c.TokenTTLSeconds) * time.Second
	}
	if c.HoldTTLSeconds != nil && *c.HoldTTLSeconds > 0 {
		s.opts.HoldTTL = time.Duration(*c.HoldTTLSeconds) * time.Second
	}
	return nil
}

// Reset forgets every transaction, token and recorded answer (the knobs and
// the clock stay as they are).
func (s *Simulator) Reset() {
	s.mu.Lock()
	s.txns, s.tokens, s.replies = map[string]*simTxn{}, map[string]*simToken{}, map[string]simReply{}
	s.mu.Unlock()
}

// Advance moves the simulator's clock forward by d (on top of Options.Now).
func (s *Simulator) Advance(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
}

func (s *Simulator) configView() simConfigView {
	s.mu.Lock()
	defer s.mu.Unlock()
	return simConfigView{ConsentStatus: s.opts.ConsentStatus, OTPOverride: s.opts.OTPOverride,
		TokenTTLSeconds: int64(s.opts.TokenTTL / time.Second), HoldTTLSeconds: int64(s.opts.HoldTTL / time.Second),
		Now: formatExpiry(s.now())}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

type configError string

func (e configError) Error() string { return string(e) }

const errBadConsentStatus = configError("consent_status must be WaitingForOTP or PendingValidation")
