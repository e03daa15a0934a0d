package charge

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
)

var (
	t0     = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	policy = Policy{ConfirmDeadline: 15 * time.Minute, RetryWindow: time.Hour, RetryInitial: time.Second, RetryMax: time.Minute,
		AbsenceDelays: []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute}}
)

var allStatuses = []string{
	events.StatusPending, events.StatusAuthorized, events.StatusConfirming, events.StatusConfirmed,
	events.StatusReversing, events.StatusReversed, events.StatusDeclined, events.StatusFailed,
}

type namedInput struct {
	name string
	in   Input
}

var allInputs = []namedInput{
	{"confirm", Confirm{}},
	{"reject", Reject{}},
	{"charge ok", Result{Op: OpCharge, Outcome: OK, ProviderReference: "ono-1"}},
	{"charge declined", Result{Op: OpCharge, Outcome: Declined, Code: "51", Message: "Insufficient funds"}},
	{"charge failed", Result{Op: OpCharge, Outcome: Failed, Code: "400"}},
	{"charge unknown", Result{Op: OpCharge, Outcome: Unknown}},
	{"confirm ok", Result{Op: OpConfirm, Outcome: OK}},
	{"confirm 409", Result{Op: OpConfirm, Outcome: RetryLater}},
	{"confirm unknown", Result{Op: OpConfirm, Outcome: Unknown}},
	{"confirm failed", Result{Op: OpConfirm, Outcome: Failed, Code: "404"}},
	{"reject ok", Result{Op: OpReject, Outcome: OK}},
	{"reject not found", Result{Op: OpReject, Outcome: NotFound}},
	{"reject 409", Result{Op: OpReject, Outcome: RetryLater}},
	{"reject failed", Result{Op: OpReject, Outcome: Failed}},
	{"deadline", TimerFired{Kind: TimerConfirmDeadline}},
	{"retry due", TimerFired{Kind: TimerRetry}},
	{"charge cancelled", CallCancelled{Op: OpCharge}},
}

type want struct {
	status  string
	reason  string
	effects []effect.Effect
}

// allowed lists every (status, input) pair that moves a charge or has an
// effect; every pair not listed must be refused (commands) or ignored.
var allowed = map[[2]string]want{
	{events.StatusPending, "reject"}:          {status: events.StatusPending, effects: []effect.Effect{effect.CancelCall{Op: OpCharge}}},
	{events.StatusPending, "charge ok"}:       {status: events.StatusAuthorized, effects: []effect.Effect{effect.SetTimer{Kind: TimerConfirmDeadline, At: t0.Add(15 * time.Minute)}}},
	{events.StatusPending, "charge declined"}: {status: events.StatusDeclined, reason: events.ReasonProviderDeclined},
	{events.StatusPending, "charge failed"}:   {status: events.StatusFailed, reason: events.ReasonProviderError},
	{events.StatusPending, "charge unknown"}:  {status: events.StatusReversing, reason: events.ReasonProviderTimeout, effects: []effect.Effect{effect.Call{Op: OpReject, ByReference: true}}},

	{events.StatusAuthorized, "confirm"}:  {status: events.StatusConfirming, effects: []effect.Effect{effect.CancelTimer{Kind: TimerConfirmDeadline}, effect.Call{Op: OpConfirm}}},
	{events.StatusAuthorized, "reject"}:   {status: events.StatusReversing, reason: events.ReasonMerchantRejected, effects: []effect.Effect{effect.CancelTimer{Kind: TimerConfirmDeadline}, effect.Call{Op: OpReject}}},
	{events.StatusAuthorized, "deadline"}: {status: events.StatusReversing, reason: events.ReasonConfirmDeadline, effects: []effect.Effect{effect.Call{Op: OpReject}}},

	{events.StatusConfirming, "confirm ok"}:      {status: events.StatusConfirmed, effects: []effect.Effect{effect.CancelTimer{Kind: TimerRetry}}},
	{events.StatusConfirming, "confirm 409"}:     {status: events.StatusConfirming, effects: []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: t0.Add(time.Second), Attempt: 1}}},
	{events.StatusConfirming, "confirm unknown"}: {status: events.StatusConfirming, effects: []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: t0.Add(time.Second), Attempt: 1}}},
	{events.StatusConfirming, "confirm failed"}:  {status: events.StatusReversing, reason: events.ReasonProviderError, effects: []effect.Effect{effect.CancelTimer{Kind: TimerRetry}, effect.Call{Op: OpReject}}},
	{events.StatusConfirming, "retry due"}:       {status: events.StatusConfirming, effects: []effect.Effect{effect.Call{Op: OpConfirm}}},
	{events.StatusReversing, "retry due"}:        {status: events.StatusReversing, effects: []effect.Effect{effect.Call{Op: OpReject}}},
	{events.StatusReversing, "charge ok"}:        {status: events.StatusReversing},
	{events.StatusReversed, "charge ok"}:         {status: events.StatusReversing, reason: events.ReasonLateSuccess, effects: []effect.Effect{effect.Call{Op: OpReject}}},
	{events.StatusFailed, "charge ok"}:           {status: events.StatusReversing, reason: events.ReasonLateSuccess, effects: []effect.Effect{effect.Call{Op: OpReject}}},

	{events.StatusReversing, "reject ok"}:        {status: events.StatusReversed, effects: []effect.Effect{effect.CancelTimer{Kind: TimerRetry}}},
	{events.StatusReversing, "reject not found"}: {status: events.StatusReversed, effects: []effect.Effect{effect.CancelTimer{Kind: TimerRetry}}},
	{events.StatusReversing, "reject 409"}:       {status: events.StatusReversing, effects: []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: t0.Add(time.Second), Attempt: 1}}},
	{events.StatusReversing, "reject failed"}:    {status: events.StatusFailed, reason: events.ReasonProviderError},
}

func TestDecideEveryStatusAndInput(t *testing.T) {
	checkEveryPair(t, allStatuses, allInputs, allowed, func(status string) State { return State{Status: status} })
}

// checkEveryPair runs Decide on every (status, input) pair: a pair in
// allowed must give its status, reason and effects; any other must be
// refused (commands) or ignored, and change nothing.
func checkEveryPair(t *testing.T, statuses []string, inputs []namedInput, allowed map[[2]string]want, state func(string) State) {
	for _, status := range statuses {
		for _, ni := range inputs {
			t.Run(status+"/"+ni.name, func(t *testing.T) {
				s := state(status)
				next, effs, err := Decide(s, ni.in, t0, policy)
				w, ok := allowed[[2]string{status, ni.name}]
				if !ok {
					_, isCmd := ni.in.(Confirm)
					_, isRej := ni.in.(Reject)
					wantErr := ErrIgnored
					if isCmd || isRej {
						wantErr = ErrInvalidState
					}
					if !errors.Is(err, wantErr) {
						t.Fatalf("err = %v, want %v", err, wantErr)
					}
					if !reflect.DeepEqual(next, s) || effs != nil {
						t.Fatalf("a refused input changed the state: %+v %v", next, effs)
					}
					return
				}
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if next.Status != w.status {
					t.Fatalf("status = %s, want %s", next.Status, w.status)
				}
				if got := reasonCode(next); got != w.reason {
					t.Fatalf("reason = %q, want %q", got, w.reason)
				}
				if !reflect.DeepEqual(effs, w.effects) {
					t.Fatalf("effects = %#v, want %#v", effs, w.effects)
				}
			})
		}
	}
}

func reasonCode(s State) string {
	if s.Reason == nil {
		return ""
	}
	return s.Reason.Code
}

func TestRejectWhileChargeInFlightReversesOnApproval(t *testing.T) {
	s, _ := Start()
	s, _, err := Decide(s, Reject{}, t0, policy)
	if err != nil || !s.RejectRequested {
		t.Fatalf("reject in pending: %v %+v", err, s)
	}
	if _, _, err := Decide(s, Reject{}, t0, policy); !errors.Is(err, ErrInvalidState) {
		t.Fatalf("second reject: %v", err)
	}
	s, effs, err := Decide(s, Result{Op: OpCharge, Outcome: OK, ProviderReference: "ono-1"}, t0, policy)
	if err != nil || s.Status != events.StatusReversing || s.ProviderReference != "ono-1" {
		t.Fatalf("approval after reject: %v %+v", err, s)
	}
	if !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: OpReject}}) {
		t.Fatalf("effects %v", effs)
	}
}

func TestConfirmRetriesWithBackOffForAtMostTheWindow(t *testing.T) {
	s := State{Status: events.StatusConfirming}
	now := t0
	var lastDelay time.Duration
	for i := 1; ; i++ {
		next, effs, err := Decide(s, Result{Op: OpConfirm, Outcome: RetryLater}, now, policy)
		if err != nil {
			t.Fatal(err)
		}
		if next.Status == events.StatusReversing {
			if now.Sub(t0) < policy.RetryWindow {
				t.Fatalf("gave up after %s, before the window", now.Sub(t0))
			}
			if next.Reason.Code != events.ReasonRetriesExhausted || !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: OpReject}}) {
				t.Fatalf("give-up: %+v %v", next.Reason, effs)
			}
			return
		}
		st := effs[0].(effect.SetTimer)
		d := st.At.Sub(now)
		if d < lastDelay || d > policy.RetryMax || st.Attempt != i {
			t.Fatalf("attempt %d: delay %s after %s", i, d, lastDelay)
		}
		lastDelay = d
		// the timer fires and the confirm is tried again
		next, effs, err = Decide(next, TimerFired{Kind: TimerRetry}, st.At, policy)
		if err != nil || !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: OpConfirm}}) {
			t.Fatalf("retry timer: %v %v", err, effs)
		}
		s, now = next, st.At
		if i > 1000 {
			t.Fatal("never gave up")
		}
	}
}

func TestTimeoutReversalRetriesByReference(t *testing.T) {
	s, _ := Start()
	s, _, _ = Decide(s, Result{Op: OpCharge, Outcome: Unknown}, t0, policy)
	s, _, _ = Decide(s, Result{Op: OpReject, Outcome: Unknown}, t0, policy)
	_, effs, err := Decide(s, TimerFired{Kind: TimerRetry}, t0.Add(time.Second), policy)
	if err != nil || !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: OpReject, ByReference: true}}) {
		t.Fatalf("retry of a by-reference reversal: %v %v", err, effs)
	}
}

func TestRetryDelay(t *testing.T) {
	p := Policy{RetryInitial: time.Second, RetryMax: 10 * time.Second}.WithDefaults()
	want := []time.Duration{1, 2, 4, 8, 10, 10}
	for i, w := range want {
		if got := RetryDelay(i+1, p); got != w*time.Second {
			t.Errorf("RetryDelay(%d) = %s, want %s", i+1, got, w*time.Second)
		}
	}
}

// TestReversalByReferenceChecksAbsence: a by-reference reversal that hears
// 404 asks again after each of the policy's absence delays (a lost charge
// may still land: a 504 means "upstream is slow") before it concludes
// reversed; a reversal by id believes the first 404.
func TestReversalByReferenceChecksAbsence(t *testing.T) {
	s, _ := Start()
	s, _, _ = Decide(s, Result{Op: OpCharge, Outcome: Unknown}, t0, policy)
	now := t0
	for i, d := range policy.AbsenceDelays {
		next, effs, err := Decide(s, Result{Op: OpReject, Outcome: NotFound}, now, policy)
		if err != nil || next.Status != events.StatusReversing || len(effs) != 1 {
			t.Fatalf("404 #%d: %v %s %v", i+1, err, next.Status, effs)
		}
		st := effs[0].(effect.SetTimer)
		if st.At.Sub(now) != d {
			t.Fatalf("check #%d after %s, want %s", i+2, st.At.Sub(now), d)
		}
		next, effs, _ = Decide(next, TimerFired{Kind: TimerRetry}, st.At, policy)
		if !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: OpReject, ByReference: true}}) {
			t.Fatalf("check #%d: %v", i+2, effs)
		}
		s, now = next, st.At
	}
	if now.Sub(t0) < 2*time.Minute {
		t.Fatalf("absence concluded after %s; the checks must be spread over minutes", now.Sub(t0))
	}
	s, _, err := Decide(s, Result{Op: OpReject, Outcome: NotFound}, now, policy)
	if err != nil || s.Status != events.StatusReversed {
		t.Fatalf("last 404: %v %s", err, s.Status)
	}
	byID := State{Status: events.StatusReversing}
	if next, _, _ := Decide(byID, Result{Op: OpReject, Outcome: NotFound}, t0, policy); next.Status != events.StatusReversed {
		t.Fatalf("by id: %s", next.Status)
	}
}

// TestRejectBeforeTheChargeIsSent: a reject of a pending charge asks the
// engine to cancel the unsent call; when it could, the charge ends reversed
// (merchant_rejected) with no call at all; when the call was already sent,
// the reversal follows its result.
func TestRejectBeforeTheChargeIsSent(t *testing.T) {
	s, _ := Start()
	s, effs, err := Decide(s, Reject{}, t0, policy)
	if err != nil || !reflect.DeepEqual(effs, []effect.Effect{effect.CancelCall{Op: OpCharge}}) {
		t.Fatalf("reject: %v %v", err, effs)
	}
	done, effs, err := Decide(s, CallCancelled{Op: OpCharge}, t0, policy)
	if err != nil || done.Status != events.StatusReversed || done.Reason.Code != events.ReasonMerchantRejected || effs != nil {
		t.Fatalf("cancelled: %v %+v %v", err, done, effs)
	}
	// Already sent: nothing was cancelled; the approval is reversed.
	next, effs, _ := Decide(s, Result{Op: OpCharge, Outcome: OK, ProviderReference: "ono-1"}, t0, policy)
	if next.Status != events.StatusReversing || !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: OpReject}}) {
		t.Fatalf("sent, then approved: %+v %v", next, effs)
	}
	if _, _, err := Decide(State{Status: events.StatusPending}, CallCancelled{Op: OpCharge}, t0, policy); !errors.Is(err, ErrIgnored) {
		t.Fatalf("a cancel without a reject: %v", err)
	}
}

// TestLateSuccessIsReversedByID: an approval that arrives after the charge
// was given up is recorded and reversed by the provider's id.
func TestLateSuccessIsReversedByID(t *testing.T) {
	for _, status := range []string{events.StatusReversed, events.StatusFailed} {
		s := State{Status: status, Reason: &events.Reason{Code: events.ReasonProviderTimeout}}
		next, effs, err := Decide(s, Result{Op: OpCharge, Outcome: OK, ProviderReference: "ono-9"}, t0, policy)
		if err != nil || next.Status != events.StatusReversing || next.ProviderReference != "ono-9" ||
			next.Reason.Code != events.ReasonLateSuccess || next.RejectByReference {
			t.Fatalf("%s: %v %+v", status, err, next)
		}
		if !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: OpReject}}) {
			t.Fatalf("%s: effects %v", status, effs)
		}
		next, _, _ = Decide(next, Result{Op: OpReject, Outcome: OK}, t0, policy)
		if next.Status != events.StatusReversed {
			t.Fatalf("%s: after the reversal: %s", status, next.Status)
		}
	}
	byRef := State{Status: events.StatusReversing, RejectByReference: true}
	next, effs, err := Decide(byRef, Result{Op: OpCharge, Outcome: OK, ProviderReference: "ono-9"}, t0, policy)
	if err != nil || next.Status != events.StatusReversing || next.ProviderReference != "ono-9" || effs != nil {
		t.Fatalf("while reversing by reference: %v %+v %v", err, next, effs)
	}
}

// TestConfirmRefusedReleasesTheMoney: a confirm the provider refuses (400,
// 401) leaves the money held, so the charge is reversed, not failed.
func TestConfirmRefusedReleasesTheMoney(t *testing.T) {
	s := State{Status: events.StatusConfirming, ProviderReference: "ono-1"}
	for _, code := range []string{"400", "401"} {
		next, effs, err := Decide(s, Result{Op: OpConfirm, Outcome: Failed, Code: code}, t0, policy)
		if err != nil || next.Status != events.StatusReversing || next.Reason.ProviderCode != code {
			t.Fatalf("%s: %v %+v", code, err, next)
		}
		if effs[len(effs)-1] != (effect.Call{Op: OpReject}) {
			t.Fatalf("%s: effects %v", code, effs)
		}
	}
}
