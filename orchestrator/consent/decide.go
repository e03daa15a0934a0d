package consent

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Decide returns the consent's state after input and the effects to carry
// out. A stale input returns lifecycle.ErrIgnored, a command the consent
// cannot take lifecycle.ErrInvalidState, and s as it was; s is never
// modified.
func Decide(s State, in Input, now time.Time, p Policy) (State, []effect.Effect, error) {
	p = p.WithDefaults()
	switch in := in.(type) {
	case Validate:
		return onValidate(s)
	case Result:
		return onResult(s, in, now, p)
	case TimerFired:
		return onTimer(s, in)
	case lifecycle.CallCancelled, lifecycle.Settle, lifecycle.ParentSettled:
		return s, nil, lifecycle.ErrIgnored
	}
	return s, nil, fmt.Errorf("consent: unknown input %T", in)
}

// onValidate: consent.validate is taken while the consent waits for the
// customer. The consent is pending again while the provider checks the
// answer (so that Prefer: wait waits for the outcome, and a second
// consent.validate meanwhile is invalid_state).
func onValidate(s State) (State, []effect.Effect, error) {
	if !awaitingCustomer(s.Status) || s.Op != "" {
		return s, nil, fmt.Errorf("%w: the consent is %s; consent.validate needs awaiting_otp or awaiting_validation", lifecycle.ErrInvalidState, s.Status)
	}
	s.Status, s.Reason, s.Op, s.Attempt = events.StatusPending, nil, OpValidate, 0
	return s, []effect.Effect{effect.Call{Op: OpValidate}}, nil
}

func onResult(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	switch {
	case (r.Op == OpConsent || r.Op == OpValidate) && s.Op == r.Op:
		return onAnswer(s, r, now, p)
	case r.Op == OpRelease && Awaits(s, OpRelease):
		return onRelease(s, r, now, p)
	}
	return s, nil, lifecycle.ErrIgnored
}

// onAnswer: the consent or validate call's answer.
func onAnswer(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	switch {
	case r.Outcome == lifecycle.OK && r.Code == CodeWaitingForOTP:
		return askCustomer(s, events.StatusAwaitingOTP, r, p), nil, nil
	case r.Outcome == lifecycle.OK && r.Code == CodePendingValidation:
		return askCustomer(s, events.StatusAwaitingValidation, r, p), nil, nil
	case r.Outcome == lifecycle.OK && r.Secret.IsZero():
		return fail(s, &events.Reason{Code: events.ReasonProviderError, ProviderCode: r.Code,
			Message: "the provider granted the consent without a token"}), nil, nil
	case r.Outcome == lifecycle.OK:
		s, effs := grant(s, r)
		return s, effs, nil
	case r.Outcome == lifecycle.Declined:
		return fail(s, &events.Reason{Code: events.ReasonProviderDeclined, ProviderCode: r.Code, Message: r.Message}), nil, nil
	case r.Outcome == lifecycle.Unknown || r.Outcome == lifecycle.RetryLater:
		s.Attempt++
		return s, []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: now.Add(p.delay(s.Attempt)), Attempt: s.Attempt}}, nil
	}
	return fail(s, &events.Reason{Code: events.ReasonProviderError, ProviderCode: r.Code, Message: r.Message}), nil, nil
}

func onTimer(s State, t TimerFired) (State, []effect.Effect, error) {
	switch {
	case t.Kind == TimerRetry && s.Op != "":
		return s, []effect.Effect{effect.Call{Op: s.Op, Recover: true}}, nil
	case t.Kind == TimerRelease && s.Release != nil && s.Release.Status == ReleaseRetrying:
		rel := *s.Release
		rel.Status = ReleasePending
		s.Release = &rel
		return s, []effect.Effect{effect.Call{Op: OpRelease}}, nil
	}
	return s, nil, lifecycle.ErrIgnored
}

// onRelease: the verification hold's release is done, refused (left for an
// operator), or retried on the back-off up to Policy.ReleaseAttempts. The
// consent stays granted whatever happens.
func onRelease(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	rel := *s.Release
	rel.Attempts++
	var effs []effect.Effect
	switch {
	case r.Outcome == lifecycle.OK:
		rel.Status = ReleaseDone
	case r.Outcome == lifecycle.Declined:
		rel.Status, rel.Code = ReleaseFailed, r.Code
	case rel.Attempts >= p.ReleaseAttempts:
		rel.Status, rel.Code = ReleaseFailed, r.Code
	default:
		rel.Status = ReleaseRetrying
		effs = []effect.Effect{effect.SetTimer{Kind: TimerRelease, At: now.Add(p.delay(rel.Attempts)), Attempt: rel.Attempts}}
	}
	s.Release = &rel
	return s, effs, nil
}

// tokenExpiry reads token_expires_at from a granting call's Data.
func tokenExpiry(data json.RawMessage) *time.Time {
	var d struct {
		TokenExpiresAt time.Time `json:"token_expires_at"`
	}
	if json.Unmarshal(data, &d) != nil || d.TokenExpiresAt.IsZero() {
		return nil
	}
	t := d.TokenExpiresAt.UTC()
	return &t
}
