package code

import (
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Decide returns the code's state after input and the effects to carry
// out. A stale input returns lifecycle.ErrIgnored, a command the code
// cannot take lifecycle.ErrInvalidState (or a field error), and s as it
// was; s is never modified.
//
// One change at a time: a change is taken only while no provider call is
// in flight, and kept in s (Op, Next) until its result.
func Decide(s State, in Input, now time.Time, p Policy) (State, []effect.Effect, error) {
	p = p.WithDefaults()
	switch in := in.(type) {
	case Update:
		return onUpdate(s, in, now)
	case SetAmount:
		return onSetAmount(s, in, now)
	case Action:
		return onAction(s, in)
	case Result:
		return onResult(s, in, now, p)
	case TimerFired:
		return onTimer(s, in)
	case lifecycle.CallCancelled, lifecycle.Settle, lifecycle.ParentSettled:
		return s, nil, lifecycle.ErrIgnored
	}
	return s, nil, fmt.Errorf("code: unknown input %T", in)
}

// allowed checks that a code in s may take cmd now: in one of from, with
// no call in flight.
func allowed(s State, cmd string, from ...string) error {
	if s.Op != "" {
		return fmt.Errorf("%w: the code's %s is in flight; send %s after its result", lifecycle.ErrInvalidState, s.Op, cmd)
	}
	for _, st := range from {
		if s.Status == st {
			return nil
		}
	}
	return fmt.Errorf("%w: the code is %s; %s needs it %s", lifecycle.ErrInvalidState, s.Status, cmd, orList(from))
}

func orList(ss []string) string {
	out := ss[0]
	for i, s := range ss[1:] {
		if i == len(ss)-2 {
			out += " or " + s
		} else {
			out += ", " + s
		}
	}
	return out
}

func onUpdate(s State, u Update, now time.Time) (State, []effect.Effect, error) {
	if err := allowed(s, events.CodeUpdate, events.StatusActive, events.StatusBlocked); err != nil {
		return s, nil, err
	}
	if !touchesProvider(u.Data) {
		return s, nil, nil // metadata only: the engine merges it
	}
	next, err := applyUpdate(s.Spec, u.Data, now)
	if err != nil {
		return s, nil, err
	}
	return changing(s, OpUpdate, &next)
}

func onSetAmount(s State, a SetAmount, now time.Time) (State, []effect.Effect, error) {
	if err := allowed(s, events.CodeSetAmount, events.StatusActive, events.StatusBlocked); err != nil {
		return s, nil, err
	}
	next, err := applyAmount(s.Spec, a, now)
	if err != nil {
		return s, nil, err
	}
	return changing(s, OpSetAmount, &next)
}

// onAction: block from active, unblock from blocked, delete from either.
func onAction(s State, a Action) (State, []effect.Effect, error) {
	var err error
	switch a.Op {
	case OpBlock:
		err = allowed(s, events.CodeBlock, events.StatusActive)
	case OpUnblock:
		err = allowed(s, events.CodeUnblock, events.StatusBlocked)
	case OpDelete:
		err = allowed(s, events.CodeDelete, events.StatusActive, events.StatusBlocked)
	default:
		return s, nil, fmt.Errorf("code: unknown action %q", a.Op)
	}
	if err != nil {
		return s, nil, err
	}
	return changing(s, a.Op, nil)
}

func onResult(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	if r.Op == "" || r.Op != s.Op {
		return s, nil, lifecycle.ErrIgnored
	}
	if r.Op == OpCreate {
		return onCreateResult(s, r)
	}
	switch {
	case r.Outcome == lifecycle.OK, r.Op == OpDelete && r.Outcome == lifecycle.NotFound:
		next, effs := applied(s, r)
		return next, effs, nil
	case (r.Outcome == lifecycle.Unknown || r.Outcome == lifecycle.RetryLater) && s.Attempt < p.MaxAttempts:
		s.Attempt++
		return s, []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: now.Add(p.Delay(s.Attempt)), Attempt: s.Attempt}}, nil
	}
	next, effs := changeFailed(s, reasonOf(r))
	return next, effs, nil
}

// onCreateResult: active (its expiry timer set), or failed. A create whose
// outcome is unknown is never repeated (the provider has no lookup by
// reference and its create is not idempotent): the code fails with
// provider_timeout, and a code the provider may have made lapses at the
// expiry the create sent.
func onCreateResult(s State, r Result) (State, []effect.Effect, error) {
	if r.Outcome == lifecycle.OK {
		s, effs := created(s, r)
		return s, effs, nil
	}
	reason := reasonOf(r)
	if r.Outcome == lifecycle.Unknown {
		reason = &events.Reason{Code: events.ReasonProviderTimeout, ProviderCode: r.Code,
			Message: "the provider did not answer the create; it is not repeated (the provider has no lookup by reference and its create is not idempotent); a code it may have made lapses at its expiry"}
	}
	s.Status, s.Op, s.Attempt, s.Reason = events.StatusFailed, "", 0, reason
	return s, nil, nil
}

func onTimer(s State, t TimerFired) (State, []effect.Effect, error) {
	switch {
	case t.Kind == TimerExpiry && (s.Status == events.StatusActive || s.Status == events.StatusBlocked):
		s.Status, s.Op, s.Next, s.Attempt = events.StatusExpired, "", nil, 0
		return s, nil, nil
	case t.Kind == TimerRetry && s.Op != "" && s.Op != OpCreate:
		return s, []effect.Effect{effect.Call{Op: s.Op, Recover: true}}, nil
	}
	return s, nil, lifecycle.ErrIgnored
}

// reasonOf is a refused call's reason: provider_declined with the
// provider's status and its message, provider_error for a failure, and
// provider_timeout for calls never answered.
func reasonOf(r Result) *events.Reason {
	code := events.ReasonProviderError
	switch r.Outcome {
	case lifecycle.Declined:
		code = events.ReasonProviderDeclined
	case lifecycle.Unknown, lifecycle.RetryLater:
		code = events.ReasonProviderTimeout
	}
	msg := r.Message
	if msg == "" {
		msg = "the provider answered " + r.Outcome.String()
	}
	return &events.Reason{Code: code, ProviderCode: r.Code, Message: msg}
}
