package utilitysim

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
)

// FirstAttempt is what happens to the first purchase request for a purchase
// id on a meter with that rule.
type FirstAttempt string

// First-attempt behaviours.
const (
	FirstSwallow FirstAttempt = "swallow" // issue tokens, answer only after the client gave up
	FirstLose    FirstAttempt = "lose"    // never act; hold until the client gives up (504 if it does not)
	FirstDrop    FirstAttempt = "drop"    // issue tokens, then close the connection unanswered
	First503     FirstAttempt = "503"     // answer 503 without acting
	First504     FirstAttempt = "504"     // issue tokens, then answer 504
)

// MeterRule is how the simulator treats purchases for one meter.
type MeterRule struct {
	Decline   string       `json:"decline,omitempty"`   // decline every purchase with this errorType
	First     FirstAttempt `json:"first,omitempty"`     // fault on each purchase id's first attempt
	MinAmount int64        `json:"minAmount,omitempty"` // minor units; overrides the global minimum
	Debt      int64        `json:"debt,omitempty"`      // minor units recovered from each purchase
	Note      string       `json:"note,omitempty"`
}

// Config holds the knobs that can change at run time (POST /_sim/config
// merges the fields it names into it).
type Config struct {
	RetryOfUnknown RetryPolicy          `json:"retryOfUnknown"`
	MinAmount      int64                `json:"minAmount"`
	MaxAmount      int64                `json:"maxAmount"`
	SwallowNext    int                  `json:"swallowNext"` // next N purchase requests: act, answer after the client gave up
	LoseNext       int                  `json:"loseNext"`    // next N purchase requests: never act
	Meters         map[string]MeterRule `json:"meters"`
}

// TestMeters returns the built-in test meters. Any other meter number of 11
// or 13 digits vends normally; anything else is UNKNOWN_METER.
func TestMeters() map[string]MeterRule {
	return map[string]MeterRule{
		"01000000000": {Note: "vends normally"},
		"01000000018": {Debt: 1000, Note: "recovers 10.00 of debt from each purchase"},
		"02000000001": {Decline: ErrMeterBlocked, Note: "blocked meter"},
		"02000000002": {Decline: ErrUnknownMeter, Note: "unknown meter"},
		"02000000003": {MinAmount: 10000, Note: "minimum purchase 100.00"},
		"03000000001": {First: FirstSwallow, Note: "first attempt swallowed (tokens issued, answer late)"},
		"03000000002": {First: FirstLose, Note: "first attempt lost (nothing issued)"},
		"03000000003": {First: First503, Note: "first attempt 503 (nothing issued)"},
		"03000000004": {First: First504, Note: "first attempt 504 after tokens were issued"},
		"03000000005": {First: FirstDrop, Note: "first attempt dropped after tokens were issued"},
	}
}

func (s *Simulator) defaultConfig() Config {
	return Config{
		RetryOfUnknown: s.opts.RetryOfUnknown,
		MinAmount:      s.opts.MinAmount,
		MaxAmount:      s.opts.MaxAmount,
		Meters:         TestMeters(),
	}
}

// Config returns a copy of the current knobs.
func (s *Simulator) Config() Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cfg
	c.Meters = maps.Clone(s.cfg.Meters)
	return c
}

// Configure replaces the knobs (nil Meters keeps the current table).
func (s *Simulator) Configure(c Config) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Meters == nil {
		c.Meters = s.cfg.Meters
	}
	s.cfg = c
}

func (s *Simulator) handleGetConfig(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Config())
}

func (s *Simulator) handlePostConfig(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	s.mu.Lock()
	c := s.cfg
	c.Meters = maps.Clone(s.cfg.Meters)
	err := json.Unmarshal(body, &c)
	if err == nil && c.RetryOfUnknown != RetryIssue && c.RetryOfUnknown != RetryDecline {
		err = errBadPolicy
	}
	if err == nil {
		s.cfg = c
	}
	s.mu.Unlock()
	if err != nil {
		writeError(w, http.StatusBadRequest, ErrFormat, "bad config: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, s.Config())
}

func (s *Simulator) handleDeleteConfig(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.cfg = s.defaultConfig()
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Simulator) handleDeletePurchases(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.seen = map[string]int{}
	s.purchases = map[string]*purchase{}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
