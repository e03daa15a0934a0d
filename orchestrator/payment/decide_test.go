package payment

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// TestDecideVerify: a confirmed payment on an active code succeeds; on any
// other code, or none, it is unexpected; one the provider contradicts is
// unconfirmed; every payment not believed is flagged on its code.
func TestDecideVerify(t *testing.T) {
	pending, _ := Start()
	for _, tc := range []struct {
		name    string
		outcome lifecycle.Outcome
		code    string
		status  string
		verdict Verdict
		reason  string
	}{
		{"ok on active", lifecycle.OK, events.StatusActive, events.StatusSucceeded, Paid, ""},
		{"ok on blocked", lifecycle.OK, events.StatusBlocked, events.StatusUnexpected, Unexpected, events.ReasonPaymentUnexpected},
		{"ok on expired", lifecycle.OK, events.StatusExpired, events.StatusUnexpected, Unexpected, events.ReasonPaymentUnexpected},
		{"ok on deleted", lifecycle.OK, events.StatusDeleted, events.StatusUnexpected, Unexpected, events.ReasonPaymentUnexpected},
		{"ok on used", lifecycle.OK, events.StatusUsed, events.StatusUnexpected, Unexpected, events.ReasonPaymentUnexpected},
		{"ok on failed", lifecycle.OK, events.StatusFailed, events.StatusUnexpected, Unexpected, events.ReasonPaymentUnexpected},
		{"ok on pending", lifecycle.OK, events.StatusPending, events.StatusUnexpected, Unexpected, events.ReasonPaymentUnexpected},
		{"ok on no code", lifecycle.OK, "", events.StatusUnexpected, Unexpected, events.ReasonPaymentUnexpected},
		{"declined on active", lifecycle.Declined, events.StatusActive, events.StatusUnconfirmed, Unexpected, events.ReasonNotConfirmed},
		{"not found", lifecycle.NotFound, events.StatusActive, events.StatusUnconfirmed, Unexpected, events.ReasonNotConfirmed},
		{"failed", lifecycle.Failed, events.StatusActive, events.StatusUnconfirmed, Unexpected, events.ReasonNotConfirmed},
		{"unknown", lifecycle.Unknown, events.StatusActive, events.StatusPending, None, ""},
	} {
		next, _, verdict, reason, err := Decide(pending, Result{Op: OpVerify, Outcome: tc.outcome, Message: "code not used"}, Code{Status: tc.code}, now, Policy{})
		if err != nil || next.Status != tc.status || verdict != tc.verdict || (reason == nil) != (tc.reason == "") || reason != nil && reason.Code != tc.reason {
			t.Errorf("%s: %s %v %+v %v, want %s %v %s", tc.name, next.Status, verdict, reason, err, tc.status, tc.verdict, tc.reason)
		}
	}
}

// TestDecideUnknownBounded: an unknown verify is asked again MaxAttempts
// times, then the payment is unconfirmed and flagged.
func TestDecideUnknownBounded(t *testing.T) {
	p := Policy{MaxAttempts: 2}
	s, _ := Start()
	unknown := Result{Op: OpVerify, Outcome: lifecycle.Unknown}
	for i := 1; i <= 2; i++ {
		var effs []effect.Effect
		s, effs, _, _, _ = Decide(s, unknown, Code{Status: events.StatusActive}, now, p)
		if s.Attempt != i || s.Status != events.StatusPending || len(effs) != 1 {
			t.Fatalf("attempt %d: %+v %+v", i, s, effs)
		}
		_, effs, _, _, _ = Decide(s, TimerFired{Kind: TimerRetry}, Code{}, now, p)
		if !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: OpVerify, Recover: true}}) {
			t.Fatalf("retry timer: %+v", effs)
		}
	}
	s, _, v, reason, _ := Decide(s, unknown, Code{Status: events.StatusActive}, now, p)
	if s.Status != events.StatusUnconfirmed || v != Unexpected || reason == nil || reason.Code != events.ReasonNotConfirmed {
		t.Fatalf("given up: %+v %v %+v", s, v, reason)
	}
}

// TestDecideStale: a result after the verdict, or a timer then, is ignored.
func TestDecideStale(t *testing.T) {
	done := State{Status: events.StatusSucceeded}
	for _, in := range []Input{Result{Op: OpVerify, Outcome: lifecycle.OK}, TimerFired{Kind: TimerRetry}, lifecycle.CallCancelled{Op: OpVerify}} {
		if _, _, v, _, err := Decide(done, in, Code{Status: events.StatusActive}, now, Policy{}); !errors.Is(err, lifecycle.ErrIgnored) || v != None {
			t.Errorf("%T after the verdict: %v %v, want ignored", in, v, err)
		}
	}
}
