package consent

import (
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Operations a worker carries out for a consent (workers/connector/
// onepipeconn declares their recovery rules).
const (
	// OpConsent is the hold_funds /v2/transact of the verification amount
	// with the customer's auth (QueryFirst).
	OpConsent = "consent"
	// OpValidate gives the provider the OTP or value (/v2/transact/validate;
	// QueryFirst).
	OpValidate = "validate"
	// OpRelease releases the verification hold once the consent is granted
	// (/v2/transact/reverse; Repeat).
	OpRelease = "release"
)

// Durable timers of a consent.
const (
	// TimerRetry: the next attempt of a consent or validate call whose
	// outcome is unknown (the provider is queried first).
	TimerRetry = "retry"
	// TimerRelease: the next attempt to release the verification hold.
	TimerRelease = "release"
)

// Codes a connector gives in an OK Result whose consent waits for the
// customer (OnePipe's transaction statuses).
const (
	CodeWaitingForOTP     = "WaitingForOTP"
	CodePendingValidation = "PendingValidation"
)

// Release statuses of the verification hold (Release.Status).
const (
	ReleasePending  = "pending"  // its call is due
	ReleaseRetrying = "retrying" // waiting for TimerRelease
	ReleaseDone     = "released" // the provider released it
	ReleaseFailed   = "failed"   // refused, or given up: for an operator
)

// State is what the consent state machine knows of one consent.
type State struct {
	Status            string         `json:"-"`
	Reason            *events.Reason `json:"-"`
	ProviderReference string         `json:"-"`
	// Op is the provider call the consent waits for (consent or validate),
	// "" when it waits for the customer or for nothing.
	Op string `json:"op,omitempty"`
	// Attempt counts the retries of Op scheduled after unknown outcomes.
	Attempt int `json:"attempt,omitempty"`
	// OTPAttempts counts validations the provider answered by asking again.
	OTPAttempts int `json:"otp_attempts,omitempty"`
	// TokenExpiresAt is when the granted consent's token expires.
	TokenExpiresAt *time.Time `json:"token_expires_at,omitempty"`
	// Release is the verification hold's release, once granted.
	Release *Release `json:"release,omitempty"`
}

// Release is the state of the verification hold's release.
type Release struct {
	Status   string `json:"status"`
	Attempts int    `json:"attempts,omitempty"`
	Code     string `json:"code,omitempty"` // the provider's code of a refusal
}

// Validate is consent.validate as Decide sees it: the OTP (or value) itself
// is sealed by the Lifecycle, never given to the pure core.
type Validate struct{}

// The shared inputs a consent takes (orchestrator/lifecycle).
type (
	Input      = lifecycle.Input
	Result     = lifecycle.Result
	TimerFired = lifecycle.TimerFired
)

// Awaits reports whether a consent in state s still waits for the result of
// op.
func Awaits(s State, op string) bool {
	switch op {
	case OpConsent, OpValidate:
		return s.Op == op
	case OpRelease:
		return s.Release != nil && s.Release.Status == ReleasePending
	}
	return false
}

// awaitingCustomer: the consent waits for consent.validate.
func awaitingCustomer(status string) bool {
	return status == events.StatusAwaitingOTP || status == events.StatusAwaitingValidation
}
