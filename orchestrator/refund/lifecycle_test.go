package refund_test

import (
	"reflect"
	"testing"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/refund"
)

// TestRegistration: what the refund lifecycle declares to the registry.
func TestRegistration(t *testing.T) {
	l := refund.New(providers)
	r := lifecycle.NewRegistry(l)
	if got, creates, ok := r.ByCommand(events.RefundCreate); !ok || !creates || got.Type() != events.TypeRefund {
		t.Fatalf("refund.create: %v %v %v", got, creates, ok)
	}
	if want := []lifecycle.Route{{Pattern: "POST /v1/refunds", Command: events.RefundCreate}}; !reflect.DeepEqual(l.Routes(), want) {
		t.Fatalf("routes %+v, want %+v", l.Routes(), want)
	}
	for _, tc := range []struct {
		status          string
		inFlight, final bool
	}{
		{events.StatusPending, true, false},
		{events.StatusVoiding, true, false},
		{events.StatusRefunding, true, false},
		{events.StatusDeferred, false, false}, // waits for the batch: Prefer: wait returns
		{events.StatusSucceeded, false, true},
		{events.StatusFailed, false, true},
	} {
		if l.InFlight(tc.status) != tc.inFlight || l.Final(tc.status) != tc.final {
			t.Errorf("%s: in flight %v final %v, want %v %v", tc.status, l.InFlight(tc.status), l.Final(tc.status), tc.inFlight, tc.final)
		}
	}
}

// TestAwaits: a void is awaited only while voiding, a refund only while
// refunding; a work item for anything else is dropped uncalled.
func TestAwaits(t *testing.T) {
	for _, status := range statuses {
		for _, op := range []string{refund.OpVoid, refund.OpRefund, "charge"} {
			want := (op == refund.OpVoid && status == events.StatusVoiding) || (op == refund.OpRefund && status == events.StatusRefunding)
			if got := refund.Awaits(refund.State{Status: status}, op); got != want {
				t.Errorf("Awaits(%s, %s) = %v, want %v", status, op, got, want)
			}
		}
	}
}
