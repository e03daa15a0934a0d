package hold

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Decide returns the hold's state after input and the effects to carry
// out; amount is what is held. A stale input returns lifecycle.ErrIgnored,
// a command the hold cannot take lifecycle.ErrInvalidState (or a
// *lifecycle.Rejection), and s as it was; s is never modified.
//
// Release and capture are taken only while held: the engine's row lock
// orders two of them, and whichever commits first moves the hold out of
// held, so the other is invalid_state.
func Decide(s State, amount decimal.Decimal, in Input, now time.Time, p Policy) (State, []effect.Effect, error) {
	p = p.WithDefaults()
	switch in := in.(type) {
	case Release:
		return onRelease(s)
	case Capture:
		return onCapture(s, amount, in)
	case Result:
		return onResult(s, in, now, p)
	case TimerFired:
		return onTimer(s, in)
	case lifecycle.CallCancelled, lifecycle.Settle, lifecycle.ParentSettled:
		return s, nil, lifecycle.ErrIgnored
	}
	return s, nil, fmt.Errorf("hold: unknown input %T", in)
}

func notHeld(s State, cmd string) error {
	return fmt.Errorf("%w: the hold is %s; %s needs it held", lifecycle.ErrInvalidState, s.Status, cmd)
}

func onRelease(s State) (State, []effect.Effect, error) {
	if s.Status != events.StatusHeld {
		return s, nil, notHeld(s, events.HoldRelease)
	}
	s, effs := releasing(s, nil)
	return s, append([]effect.Effect{effect.CancelTimer{Kind: TimerExpiry}}, effs...), nil
}

func onCapture(s State, amount decimal.Decimal, c Capture) (State, []effect.Effect, error) {
	if s.Status != events.StatusHeld {
		return s, nil, notHeld(s, events.HoldCapture)
	}
	if !c.Given {
		c.Amount = amount
	}
	if c.Amount.GreaterThan(amount) {
		return s, nil, lifecycle.Reject(events.ReasonAmountExceedsRefund, "data.amount",
			"%s is held; a capture cannot take more", amount.String())
	}
	s.Status, s.Op, s.Attempt, s.Reason, s.CaptureAmount = events.StatusCapturing, OpCapture, 0, nil, c.Amount.String()
	return s, []effect.Effect{effect.CancelTimer{Kind: TimerExpiry}, effect.Call{Op: OpCapture}}, nil
}

func onResult(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	if r.Op == "" || r.Op != s.Op {
		return s, nil, lifecycle.ErrIgnored
	}
	switch {
	case r.Outcome == lifecycle.Unknown || r.Outcome == lifecycle.RetryLater || (r.Op == OpRelease && r.Outcome != lifecycle.OK):
		s.Attempt++
		return s, []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: now.Add(p.delay(s.Attempt)), Attempt: s.Attempt}}, nil
	case r.Op == OpHold:
		return onHoldResult(s, r)
	case r.Op == OpCapture:
		return onCaptureResult(s, r)
	}
	s, effs := released(s)
	return s, effs, nil
}

// onHoldResult: held until hold_expires_at (its timer set), or failed.
func onHoldResult(s State, r Result) (State, []effect.Effect, error) {
	if r.Outcome != lifecycle.OK {
		s.Status, s.Op, s.Attempt, s.Reason = events.StatusFailed, "", 0, reasonOf(r)
		return s, nil, nil
	}
	s.Status, s.Op, s.Attempt, s.Reason = events.StatusHeld, "", 0, nil
	s.ProviderReference, s.HoldExpiresAt = r.ProviderReference, holdExpiry(r.Data)
	return s, armExpiry(s), nil
}

// onCaptureResult: captured; or, refused, held again (its expiry timer set
// again) with the provider's reason.
func onCaptureResult(s State, r Result) (State, []effect.Effect, error) {
	if r.Outcome == lifecycle.OK {
		s.Status, s.Op, s.Attempt, s.CaptureReference = events.StatusCaptured, "", 0, r.ProviderReference
		return s, nil, nil
	}
	s.Status, s.Op, s.Attempt, s.Reason, s.CaptureAmount = events.StatusHeld, "", 0, reasonOf(r), ""
	return s, armExpiry(s), nil
}

func onTimer(s State, t TimerFired) (State, []effect.Effect, error) {
	switch {
	case t.Kind == TimerExpiry && s.Status == events.StatusHeld:
		s, effs := releasing(s, &events.Reason{Code: events.ReasonHoldExpired, Message: "the hold reached hold_expires_at unused; it is released"})
		return s, effs, nil
	case t.Kind == TimerRetry && s.Op != "":
		return s, []effect.Effect{effect.Call{Op: s.Op, Recover: true}}, nil
	}
	return s, nil, lifecycle.ErrIgnored
}

func reasonOf(r Result) *events.Reason {
	code := events.ReasonProviderError
	if r.Outcome == lifecycle.Declined {
		code = events.ReasonProviderDeclined
	}
	return &events.Reason{Code: code, ProviderCode: r.Code, Message: r.Message}
}

// holdExpiry reads hold_expires_at from the hold call's Data.
func holdExpiry(data json.RawMessage) *time.Time {
	var d struct {
		HoldExpiresAt time.Time `json:"hold_expires_at"`
	}
	if json.Unmarshal(data, &d) != nil || d.HoldExpiresAt.IsZero() {
		return nil
	}
	t := d.HoldExpiresAt.UTC()
	return &t
}
