package purchase

import (
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// The transitions, one constructor each. None modifies what its argument
// points to: a State's advice is copied before it changes.

// complete keeps the purchase's tokens, its one set; a dual-message
// purchase then confirms them.
func complete(s State, ts []events.UtilityToken) (State, []effect.Effect) {
	s.Status, s.Reason, s.Tokens = events.StatusCompleted, nil, ts
	if !s.Settings.DualMessage {
		return s, nil
	}
	return withAdvice(s, OpConfirm)
}

// end closes a purchase without tokens; a dual-message purchase then
// reverses it (the provider remembers the reversal, and refuses a late
// original).
func end(s State, status string, reason *events.Reason) (State, []effect.Effect) {
	s.Status, s.Reason = status, reason
	if !s.Settings.DualMessage {
		return s, nil
	}
	return withAdvice(s, OpReverse)
}

func withAdvice(s State, op string) (State, []effect.Effect) {
	s.Advice = &events.PurchaseAdvice{Op: op, Status: AdvicePending}
	return s, []effect.Effect{effect.Call{Op: op}}
}

// retry schedules the next retry with the same id on the durable back-off,
// the last one at the horizon; past the horizon the purchase fails
// retries_exhausted.
func retry(s State, r Result, now time.Time) (State, []effect.Effect) {
	deadline := s.Since.Add(s.Settings.Horizon)
	if !now.Before(deadline) {
		return end(s, events.StatusFailed, exhaustedReason(s, r))
	}
	s.Status = events.StatusRetrying
	s.Attempt++
	at := now.Add(s.Settings.Delay(s.Attempt))
	if at.After(deadline) {
		at = deadline
	}
	return s, []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: at, Attempt: s.Attempt}}
}

func exhaustedReason(s State, r Result) *events.Reason {
	last := r.Outcome.String()
	if r.Code != "" {
		last += " " + r.Code
	}
	if r.Message != "" {
		last += ": " + r.Message
	}
	return &events.Reason{Code: events.ReasonRetriesExhausted, Message: fmt.Sprintf(
		"no certain answer from the provider within %s (%d retries with the same purchase id; last: %s); "+
			"tokens may have been issued: check the purchase with the provider", s.Settings.Horizon, s.Attempt, last)}
}

// onAdviceResult: an advice is delivered on 2xx and declined on 400, final
// either way; anything else is repeated on the back-off, with no horizon
// (store-and-forward).
func onAdviceResult(s State, r Result, now time.Time) (State, []effect.Effect, error) {
	a := *s.Advice
	a.Attempts++
	var effs []effect.Effect
	switch r.Outcome {
	case lifecycle.OK:
		a.Status, a.Code = AdviceDelivered, ""
	case lifecycle.Declined:
		a.Status, a.Code = AdviceDeclined, r.Code
	default:
		a.Status = AdviceRetrying
		effs = []effect.Effect{effect.SetTimer{Kind: TimerAdvice, At: now.Add(s.Settings.Delay(a.Attempts)), Attempt: a.Attempts}}
	}
	s.Advice = &a
	return s, effs, nil
}
