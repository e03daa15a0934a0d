package consent_test

import (
	"reflect"
	"testing"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// TestRegistration: what the consent lifecycle declares to the registry.
func TestRegistration(t *testing.T) {
	l := consent.New()
	r := lifecycle.NewRegistry(l)
	for cmd, wantCreates := range map[string]bool{events.ConsentCreate: true, events.ConsentValidate: false} {
		if got, creates, ok := r.ByCommand(cmd); !ok || creates != wantCreates || got.Type() != events.TypeConsent {
			t.Fatalf("%s: %v %v %v", cmd, got, creates, ok)
		}
	}
	want := []lifecycle.Route{{Pattern: "POST /v1/consents", Command: events.ConsentCreate},
		{Pattern: "POST /v1/consents/{id}/validate", Command: events.ConsentValidate, PathID: "transaction_id"}}
	if !reflect.DeepEqual(l.Routes(), want) {
		t.Fatalf("routes %+v, want %+v", l.Routes(), want)
	}
	for _, tc := range []struct {
		status          string
		inFlight, final bool
	}{
		{events.StatusPending, true, false},
		{events.StatusAwaitingOTP, false, false},
		{events.StatusAwaitingValidation, false, false},
		{events.StatusGranted, false, true},
		{events.StatusFailed, false, true},
	} {
		if l.InFlight(tc.status) != tc.inFlight || l.Final(tc.status) != tc.final {
			t.Errorf("%s: in flight %v final %v, want %v %v", tc.status, l.InFlight(tc.status), l.Final(tc.status), tc.inFlight, tc.final)
		}
	}
}

// TestAwaits: consent and validate are awaited while they are the
// consent's call; the release while it is pending.
func TestAwaits(t *testing.T) {
	for name, s := range states() {
		for _, op := range []string{consent.OpConsent, consent.OpValidate, consent.OpRelease, "hold"} {
			want := ((op == "consent" || op == "validate") && s.Op == op) ||
				(op == "release" && s.Release != nil && s.Release.Status == consent.ReleasePending)
			if got := consent.Awaits(s, op); got != want {
				t.Errorf("Awaits(%s, %s) = %v, want %v", name, op, got, want)
			}
		}
	}
}
