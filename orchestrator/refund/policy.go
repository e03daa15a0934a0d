package refund

import (
	"time"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Policy holds the operator's retry timings for voids and refunds whose
// outcome is unknown or that the provider asked to retry later.
type Policy struct {
	RetryWindow  time.Duration // retried for at most this long (default 1h)
	RetryInitial time.Duration // first back-off interval (1s)
	RetryMax     time.Duration // longest back-off interval (5m)
}

// WithDefaults fills the zero fields.
func (p Policy) WithDefaults() Policy {
	if p.RetryWindow <= 0 {
		p.RetryWindow = time.Hour
	}
	if p.RetryInitial <= 0 {
		p.RetryInitial = time.Second
	}
	if p.RetryMax <= 0 {
		p.RetryMax = 5 * time.Minute
	}
	return p
}

// RetryDelay is the back-off before attempt n (1-based): exponential from
// RetryInitial, doubling, capped at RetryMax, without jitter so that the
// schedule is a pure function.
func RetryDelay(n int, p Policy) time.Duration {
	return lifecycle.BackOff(n, p.RetryInitial, p.RetryMax)
}
