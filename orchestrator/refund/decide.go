package refund

import (
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Decide returns the family after input and the effects to carry out. It
// reads the charge's facts from f and returns them changed when the refund
// moves them (reservation, refunded amount, status); the caller writes both
// in one commit. A stale input returns lifecycle.ErrIgnored and f as it was.
func Decide(f Family, prov lifecycle.Provider, in Input, now time.Time, p Policy) (Family, []effect.Effect, error) {
	p = p.WithDefaults()
	switch in := in.(type) {
	case Result:
		return onResult(f, prov, in, now, p)
	case TimerFired:
		return onTimer(f, in)
	case ParentSettled:
		return onParentSettled(f, prov)
	case lifecycle.CallCancelled, lifecycle.Settle:
		return f, nil, lifecycle.ErrIgnored
	}
	return f, nil, fmt.Errorf("refund: unknown input %T", in)
}

func onResult(f Family, prov lifecycle.Provider, r Result, now time.Time, p Policy) (Family, []effect.Effect, error) {
	switch {
	case r.Op == OpVoid && f.Refund.Status == events.StatusVoiding:
		return onVoidResult(f, prov, r, now, p)
	case r.Op == OpRefund && f.Refund.Status == events.StatusRefunding:
		return onRefundResult(f, prov, r, now, p)
	case r.Outcome == lifecycle.OK && gaveUp(f.Refund) && r.Op == f.Refund.Method:
		return succeed(f, r), nil, nil
	}
	return f, nil, lifecycle.ErrIgnored
}

func onVoidResult(f Family, prov lifecycle.Provider, r Result, now time.Time, p Policy) (Family, []effect.Effect, error) {
	switch {
	case r.Outcome == lifecycle.OK:
		return succeed(f, r), nil, nil
	case r.Outcome == lifecycle.Declined && r.Batch == lifecycle.BatchClosed:
		return onBatchClosed(f, prov, r)
	case r.Outcome == lifecycle.Unknown || r.Outcome == lifecycle.RetryLater:
		return retry(f, OpVoid, now, p)
	}
	return fail(f, r), nil, nil
}

func onRefundResult(f Family, prov lifecycle.Provider, r Result, now time.Time, p Policy) (Family, []effect.Effect, error) {
	switch {
	case r.Outcome == lifecycle.OK:
		return succeed(f, r), nil, nil
	case r.Outcome == lifecycle.Declined && r.Batch == lifecycle.BatchOpen:
		return onBatchOpen(f, prov, r)
	case r.Outcome == lifecycle.Unknown || r.Outcome == lifecycle.RetryLater:
		return retry(f, OpRefund, now, p)
	}
	return fail(f, r), nil, nil
}

// onBatchClosed: the void was refused because the sale's batch has closed.
// The sale is settled, whatever we believed; the refund is made instead.
func onBatchClosed(f Family, prov lifecycle.Provider, r Result) (Family, []effect.Effect, error) {
	if f.Charge.Status == events.StatusSucceeded {
		f.Charge.Status = events.StatusSettled
	}
	if !prov.Refund {
		return fail(f, r), nil, nil
	}
	s, effs, _ := refunding(f.Refund)
	f.Refund = s
	return f, effs, nil
}

// onBatchOpen: the refund was refused because the sale's batch has not
// closed. The sale is not settled: a full refund is a void, a partial one
// waits for the batch. A charge already partly refunded contradicts the
// answer (a refund of it succeeded, so its batch had closed); nothing is
// waited for that could never come: the refund fails and releases its
// amount.
func onBatchOpen(f Family, prov lifecycle.Provider, r Result) (Family, []effect.Effect, error) {
	if f.Charge.Status == events.StatusSettled {
		f.Charge.Status = events.StatusSucceeded
	}
	if f.Charge.Status != events.StatusSucceeded {
		return fail(f, r), nil, nil
	}
	var s State
	var effs []effect.Effect
	if isWhole(f) && prov.Void {
		s, effs, _ = voiding(f.Refund)
	} else {
		s, effs, _ = deferred(f.Refund)
	}
	f.Refund = s
	return f, effs, nil
}

// isWhole: this refund is all the charge's refunds, and all its amount.
func isWhole(f Family) bool {
	c := f.Charge
	return f.Amount.Equal(c.Amount) && c.Refunded.IsZero() && c.Reserved.Equal(f.Amount)
}

func onTimer(f Family, t TimerFired) (Family, []effect.Effect, error) {
	if t.Kind != TimerRetry {
		return f, nil, lifecycle.ErrIgnored
	}
	switch f.Refund.Status {
	case events.StatusVoiding:
		return f, []effect.Effect{effect.Call{Op: OpVoid, Recover: true}}, nil
	case events.StatusRefunding:
		return f, []effect.Effect{effect.Call{Op: OpRefund, Recover: true}}, nil
	}
	return f, nil, lifecycle.ErrIgnored
}

// onParentSettled: the batch of a deferred refund's charge has settled; the
// refund is made now. A notice that finds the charge not settled changes
// nothing.
func onParentSettled(f Family, prov lifecycle.Provider) (Family, []effect.Effect, error) {
	if f.Refund.Status != events.StatusDeferred || !prov.Refund {
		return f, nil, lifecycle.ErrIgnored
	}
	switch f.Charge.Status {
	case events.StatusSettled, events.StatusPartiallyRefunded:
		s, effs, _ := refunding(f.Refund)
		f.Refund = s
		return f, effs, nil
	}
	return f, nil, lifecycle.ErrIgnored
}
