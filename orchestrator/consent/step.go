package consent

import (
	"fmt"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
)

// The transitions, one constructor each. None modifies what its argument
// points to.

// askCustomer: the provider waits for the customer (an OTP, or another
// answer), its prompt in the reason's message. A validation answered by
// asking again counts against Policy.OTPAttempts.
func askCustomer(s State, status string, r Result, p Policy) State {
	if s.Op == OpValidate {
		s.OTPAttempts++
		if s.OTPAttempts >= p.OTPAttempts {
			return fail(s, &events.Reason{Code: events.ReasonProviderDeclined, ProviderCode: r.Code,
				Message: fmt.Sprintf("the provider refused %d answers; start a new consent", s.OTPAttempts)})
		}
	}
	s.Status, s.Op, s.Attempt = status, "", 0
	s.Reason = &events.Reason{Code: status, ProviderCode: r.Code, Message: events.Truncate(r.Message, events.MaxMessageLength)}
	return s
}

// grant: the provider gave its token (sealed by the Lifecycle from
// Result.Secret); the verification hold is released next.
func grant(s State, r Result) (State, []effect.Effect) {
	s.Status, s.Reason, s.Op, s.Attempt = events.StatusGranted, nil, "", 0
	s.ProviderReference = r.ProviderReference
	s.TokenExpiresAt = tokenExpiry(r.Data)
	s.Release = &Release{Status: ReleasePending}
	return s, []effect.Effect{effect.Call{Op: OpRelease}}
}

func fail(s State, reason *events.Reason) State {
	s.Status, s.Reason, s.Op, s.Attempt = events.StatusFailed, reason, "", 0
	return s
}
