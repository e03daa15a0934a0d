package purchase

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// codeDuplicate is the provider's answer to a purchase whose id it already
// has (workers/utility.ErrDuplicate): the purchase reached it, and its
// retry endpoint returns the tokens it issued.
const codeDuplicate = "DUPLICATE_RECORD"

// Start is a new purchase: submitted, its first call due, with the
// merchant's settings kept.
func Start(settings Settings, now time.Time) (State, []effect.Effect) {
	s := State{Status: events.StatusSubmitted, Settings: settings, Since: now}
	return s, []effect.Effect{effect.Call{Op: OpPurchase}}
}

// Decide returns the purchase's state after input and the effects to carry
// out. A stale or misplaced input returns lifecycle.ErrIgnored and s as it
// was; s is never modified.
func Decide(s State, in Input, now time.Time) (State, []effect.Effect, error) {
	switch in := in.(type) {
	case Result:
		return onResult(s, in, now)
	case TimerFired:
		return onTimer(s, in)
	case lifecycle.CallCancelled, lifecycle.Settle, lifecycle.ParentSettled:
		return s, nil, lifecycle.ErrIgnored
	}
	return s, nil, fmt.Errorf("purchase: unknown input %T", in)
}

func onResult(s State, r Result, now time.Time) (State, []effect.Effect, error) {
	switch {
	case r.Op == OpPurchase && awaitsPurchase(s.Status):
		return onPurchaseResult(s, r, now)
	case (r.Op == OpConfirm || r.Op == OpReverse) && Awaits(s, r.Op):
		return onAdviceResult(s, r, now)
	}
	return s, nil, lifecycle.ErrIgnored
}

// onPurchaseResult: tokens complete the purchase; a refusal declines it; a
// 404 on a retry sends it again or declines it; anything that leaves the
// outcome open (time-out, 5xx, lost connection, an unreadable answer, a
// call that failed before reaching the provider, a duplicate id) is
// retried with the same id.
func onPurchaseResult(s State, r Result, now time.Time) (State, []effect.Effect, error) {
	switch r.Outcome {
	case lifecycle.OK:
		if ts, ok := tokensOf(r.Data); ok {
			s, effs := complete(s, ts)
			return s, effs, nil
		}
		r.Message = "the provider's answer carried no readable tokens"
	case lifecycle.Declined:
		if r.Code != codeDuplicate {
			s, effs := end(s, events.StatusDeclined, declinedReason(r))
			return s, effs, nil
		}
	case lifecycle.NotFound:
		s, effs := onNotFound(s, r)
		return s, effs, nil
	}
	s, effs := retry(s, r, now)
	return s, effs, nil
}

// onNotFound: the retry endpoint does not know the purchase, so the
// provider never received it. Where the merchant allows it, it is sent
// again, once, as a normal purchase with the SAME id: a late-arriving
// original is then refused as a duplicate, never vended twice. Otherwise
// it is declined, saying so.
func onNotFound(s State, r Result) (State, []effect.Effect) {
	if s.Settings.ResendOnNotFound && !s.Resent {
		s.Resent = true
		return s, []effect.Effect{effect.Call{Op: OpPurchase}}
	}
	msg := "the provider never received the purchase (its retry was answered 404); it was not sent again"
	if s.Resent {
		msg = "the provider never received the purchase, even when it was sent again with the same id"
	}
	return end(s, events.StatusDeclined, &events.Reason{Code: events.ReasonProviderDeclined, ProviderCode: r.Code, Message: msg})
}

func onTimer(s State, t TimerFired) (State, []effect.Effect, error) {
	switch {
	case t.Kind == TimerRetry && s.Status == events.StatusRetrying:
		return s, []effect.Effect{effect.Call{Op: OpPurchase, Recover: true}}, nil
	case t.Kind == TimerAdvice && s.Advice != nil && s.Advice.Status == AdviceRetrying:
		a := *s.Advice
		a.Status = AdvicePending
		s.Advice = &a
		return s, []effect.Effect{effect.Call{Op: a.Op}}, nil
	}
	return s, nil, lifecycle.ErrIgnored
}

// tokensOf reads a purchase call's tokens (Result.Data: a JSON array of
// events.UtilityToken), bounded (events.BoundTokens); ok is false unless
// there is at least one token, each with its number.
func tokensOf(data json.RawMessage) ([]events.UtilityToken, bool) {
	var ts []events.UtilityToken
	if json.Unmarshal(data, &ts) != nil || len(ts) == 0 {
		return nil, false
	}
	for _, t := range ts {
		if t.Token == "" {
			return nil, false
		}
	}
	return events.BoundTokens(ts), true
}

func declinedReason(r Result) *events.Reason {
	return &events.Reason{Code: events.ReasonProviderDeclined, Message: r.Message, ProviderCode: r.Code}
}
