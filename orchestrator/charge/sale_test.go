package charge

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

var saleStatuses = []string{
	events.StatusPending, events.StatusSucceeded, events.StatusSettled, events.StatusDeclined, events.StatusFailed,
	events.StatusVoided, events.StatusPartiallyRefunded, events.StatusRefunded,
}

var saleInputs = append(append([]namedInput{}, allInputs...),
	namedInput{"settle after success", lifecycle.Settle{At: t0.Add(time.Hour)}},
	namedInput{"settle before success", lifecycle.Settle{At: t0.Add(-time.Hour)}},
	namedInput{"parent settled", lifecycle.ParentSettled{}},
	namedInput{"charge retry later", Result{Op: OpCharge, Outcome: RetryLater}},
	namedInput{"charge not found", Result{Op: OpCharge, Outcome: NotFound}},
)

// saleAllowed lists every (status, input) pair that moves a sale or has an
// effect; every other pair is refused (commands) or ignored.
var saleAllowed = map[[2]string]want{
	{events.StatusPending, "charge ok"}:              {status: events.StatusSucceeded},
	{events.StatusPending, "charge declined"}:        {status: events.StatusDeclined, reason: events.ReasonProviderDeclined},
	{events.StatusPending, "charge failed"}:          {status: events.StatusFailed, reason: events.ReasonProviderError},
	{events.StatusPending, "charge not found"}:       {status: events.StatusFailed, reason: events.ReasonProviderError},
	{events.StatusPending, "charge unknown"}:         {status: events.StatusPending, reason: events.ReasonProviderTimeout, effects: []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: t0.Add(time.Second), Attempt: 1}}},
	{events.StatusPending, "charge retry later"}:     {status: events.StatusPending, reason: events.ReasonProviderTimeout, effects: []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: t0.Add(time.Second), Attempt: 1}}},
	{events.StatusSucceeded, "settle after success"}: {status: events.StatusSettled},
}

func TestSaleEveryStatusAndInput(t *testing.T) {
	checkEveryPair(t, saleStatuses, saleInputs, saleAllowed, func(status string) State {
		return State{Status: status, Sale: true, SucceededAt: t0}
	})
}

// An unknown sale is asked about by query (Recover) from a backing-off
// timer, and is never given up while the money may have moved.
func TestUnknownSaleIsQueriedWithBackOffAndNeverGivenUp(t *testing.T) {
	s, _ := Start()
	s.Sale = true
	now := t0
	var last time.Duration
	for i := 1; i <= 40; i++ { // far past the retry window at RetryMax
		next, effs, err := Decide(s, Result{Op: OpCharge, Outcome: Unknown}, now, policy)
		if err != nil || next.Status != events.StatusPending {
			t.Fatalf("attempt %d: %v %s", i, err, next.Status)
		}
		st := effs[0].(effect.SetTimer)
		if d := st.At.Sub(now); d < last || d > policy.RetryMax || st.Attempt != i {
			t.Fatalf("attempt %d: delay %s after %s", i, d, last)
		} else {
			last = d
		}
		next, effs, err = Decide(next, TimerFired{Kind: TimerRetry, Attempt: i}, st.At, policy)
		if err != nil || !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: OpCharge, Recover: true}}) {
			t.Fatalf("retry due: %v %#v", err, effs)
		}
		s, now = next, st.At
	}
	// The query finds it: succeeded, and the pending retry timer goes.
	s, effs, err := Decide(s, Result{Op: OpCharge, Outcome: OK, ProviderReference: "p1-9"}, now, policy)
	if err != nil || s.Status != events.StatusSucceeded || s.ProviderReference != "p1-9" || s.Reason != nil || !s.SucceededAt.Equal(now) {
		t.Fatalf("found: %v %+v", err, s)
	}
	if !reflect.DeepEqual(effs, []effect.Effect{effect.CancelTimer{Kind: TimerRetry}}) {
		t.Fatalf("effects %#v", effs)
	}
}

// An ono//connect charge ignores settlement.
func TestAuthorizeFlowIgnoresSettlement(t *testing.T) {
	for _, in := range []Input{lifecycle.Settle{At: t0}, lifecycle.ParentSettled{}} {
		if _, _, err := Decide(State{Status: events.StatusConfirmed}, in, t0, policy); !errors.Is(err, ErrIgnored) {
			t.Errorf("%T: %v", in, err)
		}
	}
}
