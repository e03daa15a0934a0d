package code

import (
	"time"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Policy holds the retry timings for calls whose outcome is unknown: a
// code's changes, and a payment's verification (orchestrator/payment).
type Policy struct {
	RetryInitial time.Duration // first back-off interval (1s)
	RetryMax     time.Duration // longest back-off interval (1m)
	MaxAttempts  int           // retries before the change is given up, or the payment left unconfirmed (5)
}

// WithDefaults fills the zero fields.
func (p Policy) WithDefaults() Policy {
	if p.RetryInitial <= 0 {
		p.RetryInitial = time.Second
	}
	if p.RetryMax <= 0 {
		p.RetryMax = time.Minute
	}
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 5
	}
	return p
}

// Delay is the back-off before retry n.
func (p Policy) Delay(n int) time.Duration { return lifecycle.BackOff(n, p.RetryInitial, p.RetryMax) }
