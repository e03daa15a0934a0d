package hold_test

import (
	"reflect"
	"testing"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/orchestrator/hold"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// TestRegistration: what the hold lifecycle declares; it registers beside
// the consent lifecycle with no command or type in common.
func TestRegistration(t *testing.T) {
	l := hold.New()
	r := lifecycle.NewRegistry(consent.New(), l)
	for cmd, wantCreates := range map[string]bool{events.HoldCreate: true, events.HoldRelease: false, events.HoldCapture: false} {
		if got, creates, ok := r.ByCommand(cmd); !ok || creates != wantCreates || got.Type() != events.TypeHold {
			t.Fatalf("%s: %v %v %v", cmd, got, creates, ok)
		}
	}
	want := []lifecycle.Route{{Pattern: "POST /v1/holds", Command: events.HoldCreate},
		{Pattern: "POST /v1/holds/{id}/release", Command: events.HoldRelease, PathID: "transaction_id"},
		{Pattern: "POST /v1/holds/{id}/capture", Command: events.HoldCapture, PathID: "transaction_id"}}
	if !reflect.DeepEqual(l.Routes(), want) {
		t.Fatalf("routes %+v, want %+v", l.Routes(), want)
	}
	for _, tc := range []struct {
		status          string
		inFlight, final bool
	}{
		{events.StatusPending, true, false},
		{events.StatusHeld, false, false},
		{events.StatusReleasing, true, false},
		{events.StatusCapturing, true, false},
		{events.StatusReleased, false, true},
		{events.StatusCaptured, false, true},
		{events.StatusExpired, false, true},
		{events.StatusFailed, false, true},
	} {
		if l.InFlight(tc.status) != tc.inFlight || l.Final(tc.status) != tc.final {
			t.Errorf("%s: in flight %v final %v, want %v %v", tc.status, l.InFlight(tc.status), l.Final(tc.status), tc.inFlight, tc.final)
		}
	}
}

// TestAwaits: a hold awaits the one call it is making.
func TestAwaits(t *testing.T) {
	for name, s := range states() {
		for _, op := range []string{hold.OpHold, hold.OpCapture, hold.OpRelease, "consent", ""} {
			if got, want := hold.Awaits(s, op), op != "" && s.Op == op; got != want {
				t.Errorf("Awaits(%s, %s) = %v, want %v", name, op, got, want)
			}
		}
	}
}
