package hold

import (
	"time"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Policy holds a hold's retry timings for calls whose outcome is unknown.
// A release is retried until it is done: a hold is never left open at the
// provider by giving up.
type Policy struct {
	RetryInitial time.Duration // first back-off interval (1s)
	RetryMax     time.Duration // longest back-off interval (5m)
}

// WithDefaults fills the zero fields.
func (p Policy) WithDefaults() Policy {
	if p.RetryInitial <= 0 {
		p.RetryInitial = time.Second
	}
	if p.RetryMax <= 0 {
		p.RetryMax = 5 * time.Minute
	}
	return p
}

func (p Policy) delay(n int) time.Duration { return lifecycle.BackOff(n, p.RetryInitial, p.RetryMax) }
