package payment

import (
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Start is a new payment: pending, its verify due.
func Start() (State, []effect.Effect) {
	return State{Status: events.StatusPending, Op: OpVerify}, []effect.Effect{effect.Call{Op: OpVerify}}
}

// Decide returns the payment's state after in, the effects to carry out,
// the verdict for its code c, and the payment's reason. A stale input
// returns lifecycle.ErrIgnored; s is never modified.
func Decide(s State, in Input, c Code, now time.Time, p Policy) (State, []effect.Effect, Verdict, *events.Reason, error) {
	p = p.WithDefaults()
	switch in := in.(type) {
	case Result:
		return onResult(s, in, c, now, p)
	case TimerFired:
		if in.Kind == TimerRetry && s.Op != "" {
			return s, []effect.Effect{effect.Call{Op: s.Op, Recover: true}}, None, nil, nil
		}
		return s, nil, None, nil, lifecycle.ErrIgnored
	case lifecycle.CallCancelled, lifecycle.Settle, lifecycle.ParentSettled:
		return s, nil, None, nil, lifecycle.ErrIgnored
	}
	return s, nil, None, nil, fmt.Errorf("payment: unknown input %T", in)
}

func onResult(s State, r Result, c Code, now time.Time, p Policy) (State, []effect.Effect, Verdict, *events.Reason, error) {
	if r.Op == "" || r.Op != s.Op {
		return s, nil, None, nil, lifecycle.ErrIgnored
	}
	switch {
	case r.Outcome == lifecycle.OK && c.Status == events.StatusActive:
		s.Status, s.Op, s.Attempt = events.StatusSucceeded, "", 0
		return s, nil, Paid, nil, nil
	case r.Outcome == lifecycle.OK:
		s.Status, s.Op, s.Attempt = events.StatusUnexpected, "", 0
		return s, nil, Unexpected, unexpectedReason(c), nil
	case (r.Outcome == lifecycle.Unknown || r.Outcome == lifecycle.RetryLater) && s.Attempt < p.MaxAttempts:
		s.Attempt++
		return s, []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: now.Add(p.Delay(s.Attempt)), Attempt: s.Attempt}}, None, nil, nil
	}
	msg := r.Message
	if r.Outcome == lifecycle.Unknown || r.Outcome == lifecycle.RetryLater || msg == "" {
		msg = "the provider did not confirm the payment: it answered " + r.Outcome.String()
	}
	s.Status, s.Op, s.Attempt = events.StatusUnconfirmed, "", 0
	return s, nil, Unexpected, &events.Reason{Code: events.ReasonNotConfirmed, ProviderCode: r.Code, Message: msg}, nil
}

func unexpectedReason(c Code) *events.Reason {
	msg := "the payment is for no known code"
	if c.Status != "" {
		msg = fmt.Sprintf("the payment is for a code that is %s, not active", c.Status)
	}
	return &events.Reason{Code: events.ReasonPaymentUnexpected, Message: msg}
}
