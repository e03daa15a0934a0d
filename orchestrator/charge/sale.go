package charge

import (
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// A sale is a charge at a provider whose charges are one-step sales
// (lifecycle.Provider.Sale: ProcessOne): pending → succeeded, then settled
// when the merchant's batch cut-off passes; declined or failed otherwise.
// It is never confirmed or rejected: money goes back by a refund (the
// refund lifecycle, a child of the charge), which may move the charge to
// voided, partially_refunded or refunded.
//
// A sale call whose outcome is unknown is never sent again blindly: the
// charge stays pending and a durable timer, backing off (RetryDelay, capped
// at RetryMax and never giving up while the money may have moved), asks for
// the call again with Recover, so that the worker first queries the
// provider by the call's CallbackId and makes the call only if the provider
// never saw it.

// decideSale is Decide for a sale.
func decideSale(s State, in Input, now time.Time, p Policy) (State, []effect.Effect, error) {
	switch in := in.(type) {
	case Confirm:
		return s, nil, fmt.Errorf("%w: a %s charge is a one-step sale and cannot be confirmed", ErrInvalidState, s.Status)
	case Reject:
		return s, nil, fmt.Errorf("%w: a sale cannot be rejected; create a refund (POST /v1/refunds) once it has succeeded", ErrInvalidState)
	case Result:
		return onSaleResult(s, in, now, p)
	case TimerFired:
		if in.Kind == TimerRetry && s.Status == events.StatusPending && s.RetryOp == OpCharge {
			return s, []effect.Effect{effect.Call{Op: OpCharge, Recover: true}}, nil
		}
	case lifecycle.Settle:
		if s.Status == events.StatusSucceeded && !s.SucceededAt.After(in.At) {
			s.Status = events.StatusSettled
			s.SettledAt = in.At
			return s, nil, nil
		}
	}
	return s, nil, ErrIgnored
}

func onSaleResult(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	if r.Op != OpCharge || s.Status != events.StatusPending {
		return s, nil, ErrIgnored
	}
	var effs []effect.Effect
	if s.RetryOp != "" {
		effs = append(effs, effect.CancelTimer{Kind: TimerRetry})
	}
	switch r.Outcome {
	case OK:
		s = settledRetry(s)
		s.Status, s.ProviderReference, s.Reason = events.StatusSucceeded, r.ProviderReference, nil
		s.SucceededAt = now
		return s, effs, nil
	case Declined:
		s = settledRetry(s)
		s.Status = events.StatusDeclined
		s.Reason = &events.Reason{Code: events.ReasonProviderDeclined, Message: r.Message, ProviderCode: r.Code}
		return s, effs, nil
	case Failed, NotFound:
		s = settledRetry(s)
		s.Status = events.StatusFailed
		s.Reason = &events.Reason{Code: events.ReasonProviderError, Message: r.Message, ProviderCode: r.Code}
		return s, effs, nil
	}
	// Unknown, RetryLater: the sale may have happened. Ask again later, by
	// query first; never give up while the money may have moved.
	if s.RetryOp != OpCharge {
		s.RetryOp, s.RetryAttempt, s.RetrySince = OpCharge, 0, now
	}
	s.RetryAttempt++
	s.Reason = &events.Reason{Code: events.ReasonProviderTimeout, ProviderCode: r.Code,
		Message: "the provider's answer to the charge was lost; asking it what became of the charge before anything else"}
	at := now.Add(RetryDelay(s.RetryAttempt, p))
	return s, []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: at, Attempt: s.RetryAttempt}}, nil
}

func settledRetry(s State) State {
	s.RetryOp, s.RetryAttempt, s.RetrySince = "", 0, time.Time{}
	return s
}
