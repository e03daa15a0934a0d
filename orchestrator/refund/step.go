package refund

import (
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// The transitions, one constructor each. voiding, refunding and deferred
// return an error only to share the shape of Start's steps.

func voiding(s State) (State, []effect.Effect, error) {
	s = clearRetry(s)
	s.Status, s.Method = events.StatusVoiding, events.MethodVoid
	return s, []effect.Effect{effect.Call{Op: OpVoid}}, nil
}

func refunding(s State) (State, []effect.Effect, error) {
	s = clearRetry(s)
	s.Status, s.Method = events.StatusRefunding, events.MethodRefund
	return s, []effect.Effect{effect.Call{Op: OpRefund}}, nil
}

func deferred(s State) (State, []effect.Effect, error) {
	s = clearRetry(s)
	s.Status, s.Method = events.StatusDeferred, events.MethodRefund
	return s, nil, nil
}

func clearRetry(s State) State {
	s.RetryOp, s.RetryAttempt, s.RetrySince = "", 0, time.Time{}
	return s
}

// succeed records the provider's approval of the refund's operation: its
// amount moves from reserved to refunded on the charge, which is voided by
// a void, refunded or partially refunded by a refund.
func succeed(f Family, r Result) Family {
	f.Refund = clearRetry(f.Refund)
	f.Refund.Status, f.Refund.Method, f.Refund.Reason = events.StatusSucceeded, r.Op, nil
	f.Refund.ProviderReference = r.ProviderReference
	c := &f.Charge
	c.Reserved = c.Reserved.Sub(f.Amount)
	c.Refunded = c.Refunded.Add(f.Amount)
	switch {
	case r.Op == OpVoid:
		c.Status = events.StatusVoided
	case c.Refunded.Equal(c.Amount):
		c.Status = events.StatusRefunded
	default:
		c.Status = events.StatusPartiallyRefunded
	}
	return f
}

// fail ends a refund the provider refused (or that is known not to have
// happened): nothing moved, so its reservation is released.
func fail(f Family, r Result) Family {
	f.Refund = clearRetry(f.Refund)
	f.Refund.Status = events.StatusFailed
	code := events.ReasonProviderError
	if r.Outcome == lifecycle.Declined {
		code = events.ReasonProviderDeclined
	}
	f.Refund.Reason = &events.Reason{Code: code, Message: r.Message, ProviderCode: r.Code}
	f.Charge.Reserved = f.Charge.Reserved.Sub(f.Amount)
	return f
}

// retry schedules the next attempt of op on the durable back-off; the
// timer's firing queries the provider by the operation's CallbackId before
// any new call (effect.Call.Recover). When the retry window is spent the
// refund fails retries_exhausted but KEEPS its reservation: the void or
// refund may have happened at the provider, and releasing the amount would
// let it be refunded twice. An operator settles it; a late approval is
// still recorded (gaveUp).
func retry(f Family, op string, now time.Time, p Policy) (Family, []effect.Effect, error) {
	s := f.Refund
	if s.RetryOp != op {
		s.RetryOp, s.RetryAttempt, s.RetrySince = op, 0, now
	}
	if now.Sub(s.RetrySince) >= p.RetryWindow {
		s = clearRetry(s)
		s.Status = events.StatusFailed
		s.Reason = &events.Reason{Code: events.ReasonRetriesExhausted, Message: "the provider gave no answer to the " + op +
			" within the retry window; it may have happened, so the amount stays reserved on the charge until an operator checks it"}
		f.Refund = s
		return f, nil, nil
	}
	s.RetryAttempt++
	at := now.Add(RetryDelay(s.RetryAttempt, p))
	f.Refund = s
	return f, []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: at, Attempt: s.RetryAttempt}}, nil
}

// gaveUp: the refund failed for want of an answer, with its reservation
// kept.
func gaveUp(s State) bool {
	return s.Status == events.StatusFailed && s.Reason != nil && s.Reason.Code == events.ReasonRetriesExhausted
}
