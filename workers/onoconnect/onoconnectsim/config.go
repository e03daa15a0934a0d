package onoconnectsim

import (
	"encoding/json"
	"maps"
	"net/http"
)

// Config is the simulator's run-time behaviour, read and changed over
// HTTP at /_sim/config. In a POST every field that is present replaces the
// current value; DELETE goes back to the Options the simulator was
// built with.
type Config struct {
	// Declines maps an amountInCents to the ISO response code a charge of
	// that amount gets ("00" approves). It takes precedence over the
	// default rule.
	Declines map[int64]string `json:"declines"`
	// DefaultDeclines turns on the default rule: cents ending in 51 →
	// "51" (not sufficient funds), ending in 05 → "05" (do not honour).
	DefaultDeclines *bool `json:"default_declines,omitempty"`
	// ConfirmConflicts is how many confirms of each new charge answer 409
	// before one succeeds.
	ConfirmConflicts *int `json:"confirm_conflicts,omitempty"`
	// TransactionToken, when not empty, is the only X-TransactionToken
	// accepted; when empty any non-empty token is.
	TransactionToken *string `json:"transaction_token,omitempty"`
}

// simConfig is the effective configuration.
type simConfig struct {
	declines         map[int64]string
	defaultDeclines  bool
	confirmConflicts int
	token            string
}

func (c simConfig) public() Config {
	return Config{Declines: c.declines, DefaultDeclines: &c.defaultDeclines,
		ConfirmConflicts: &c.confirmConflicts, TransactionToken: &c.token}
}

// merge applies the fields present in p.
func (c simConfig) merge(p Config) simConfig {
	if p.Declines != nil {
		c.declines = maps.Clone(p.Declines)
	}
	if p.DefaultDeclines != nil {
		c.defaultDeclines = *p.DefaultDeclines
	}
	if p.ConfirmConflicts != nil {
		c.confirmConflicts = max(0, *p.ConfirmConflicts)
	}
	if p.TransactionToken != nil {
		c.token = *p.TransactionToken
	}
	return c
}

// isoFor decides the ISO response code of a charge of amount cents.
func (c simConfig) isoFor(amount int64) string {
	if code, ok := c.declines[amount]; ok {
		return code
	}
	if c.defaultDeclines {
		switch amount % 100 {
		case 51:
			return "51"
		case 5:
			return "05"
		}
	}
	return isoApproved
}

// isoMessage is the chargeResultMessage of an ISO 8583 response code.
func isoMessage(code string) string {
	switch code {
	case isoApproved:
		return "Approved or completed successfully"
	case "05":
		return "Do not honour"
	case "14":
		return "Invalid card number"
	case "51":
		return "Not sufficient funds"
	case "54":
		return "Expired card"
	case "61":
		return "Exceeds withdrawal amount limit"
	case "91":
		return "Issuer or switch inoperative"
	default:
		return "Declined"
	}
}

func (s *Simulator) getConfig(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	c := s.cfg.public()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, c)
}

func (s *Simulator) postConfig(w http.ResponseWriter, r *http.Request) {
	var p Config
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&p); err != nil {
		writeError(w, http.StatusBadRequest, "bad_config", "bad config: "+err.Error())
		return
	}
	s.mu.Lock()
	s.cfg = s.cfg.merge(p)
	c := s.cfg.public()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, c)
}

func (s *Simulator) deleteConfig(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.cfg = s.initial
	s.mu.Unlock()
	s.getConfig(w, r)
}
