package consent

import (
	"time"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Policy holds a consent's bounds and retry timings.
type Policy struct {
	// OTPAttempts bounds the validations of a consent whose provider lets a
	// wrong OTP be retried (it asks for the OTP again) (default 3).
	OTPAttempts int
	// ReleaseAttempts bounds the attempts to release the verification
	// hold (default 10); after them it is left for an operator.
	ReleaseAttempts int
	RetryInitial    time.Duration // first back-off interval (1s)
	RetryMax        time.Duration // longest back-off interval (5m)
}

// WithDefaults fills the zero fields.
func (p Policy) WithDefaults() Policy {
	if p.OTPAttempts <= 0 {
		p.OTPAttempts = 3
	}
	if p.ReleaseAttempts <= 0 {
		p.ReleaseAttempts = 10
	}
	if p.RetryInitial <= 0 {
		p.RetryInitial = time.Second
	}
	if p.RetryMax <= 0 {
		p.RetryMax = 5 * time.Minute
	}
	return p
}

// delay is the back-off before attempt n (1-based).
func (p Policy) delay(n int) time.Duration { return lifecycle.BackOff(n, p.RetryInitial, p.RetryMax) }
