package purchase_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/purchase"
)

// TestRegistration: what the purchase lifecycle declares to the registry.
func TestRegistration(t *testing.T) {
	l := purchase.New()
	r := lifecycle.NewRegistry(l)
	if got, creates, ok := r.ByCommand(events.PurchaseCreate); !ok || !creates || got.Type() != events.TypePurchase {
		t.Fatalf("purchase.create: %v %v %v", got, creates, ok)
	}
	if want := []lifecycle.Route{{Pattern: "POST /v1/purchases", Command: events.PurchaseCreate}}; !reflect.DeepEqual(l.Routes(), want) {
		t.Fatalf("routes %+v, want %+v", l.Routes(), want)
	}
	for _, tc := range []struct {
		status          string
		inFlight, final bool
	}{
		{events.StatusPending, true, false},
		{events.StatusSubmitted, true, false},
		{events.StatusRetrying, true, false},
		{events.StatusCompleted, false, true},
		{events.StatusDeclined, false, true},
		{events.StatusFailed, false, true},
	} {
		if l.InFlight(tc.status) != tc.inFlight || l.Final(tc.status) != tc.final {
			t.Errorf("%s: in flight %v final %v, want %v %v", tc.status, l.InFlight(tc.status), l.Final(tc.status), tc.inFlight, tc.final)
		}
	}
}

// TestAwaits: the purchase call is awaited while submitted or retrying; an
// advice only while it is pending.
func TestAwaits(t *testing.T) {
	for _, name := range sortedKeys(situations) {
		s := situations[name]
		for _, op := range []string{purchase.OpPurchase, purchase.OpConfirm, purchase.OpReverse, "charge"} {
			want := (op == purchase.OpPurchase && (s.Status == "submitted" || s.Status == "retrying")) ||
				(s.Advice != nil && s.Advice.Op == op && s.Advice.Status == "pending")
			if got := purchase.Awaits(s, op); got != want {
				t.Errorf("Awaits(%s, %s) = %v, want %v", name, op, got, want)
			}
		}
	}
}

// TestStart: a purchase starts submitted, its first call due, with the
// merchant's settings kept.
func TestStart(t *testing.T) {
	s, effs := purchase.Start(dual, now)
	if s.Status != events.StatusSubmitted || !s.Since.Equal(now) || !reflect.DeepEqual(s.Settings, dual) ||
		!reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: purchase.OpPurchase}}) {
		t.Fatalf("start %+v, %v", s, effs)
	}
}

// TestSettingsOf: a merchant's utility settings, defaults where it gives
// none.
func TestSettingsOf(t *testing.T) {
	def := purchase.DefaultSettings()
	wantDef := purchase.Settings{Schedule: []time.Duration{2 * time.Second, 5 * time.Second, 15 * time.Second, time.Minute, 5 * time.Minute},
		Every: 5 * time.Minute, Horizon: time.Hour}
	if !reflect.DeepEqual(def, wantDef) {
		t.Fatalf("defaults %+v", def)
	}
	for _, tc := range []struct {
		raw  string
		want purchase.Settings
	}{
		{"", wantDef},
		{`{}`, wantDef},
		{`{"retry_every":"1m","dual_message":true}`, func() purchase.Settings { s := wantDef; s.Every, s.DualMessage = time.Minute, true; return s }()},
		{`{"retry_schedule":["1s"],"retry_horizon":"10m","resend_on_not_found":true}`, purchase.Settings{Schedule: []time.Duration{time.Second},
			Every: 5 * time.Minute, Horizon: 10 * time.Minute, ResendOnNotFound: true}},
	} {
		got, err := purchase.SettingsOf(json.RawMessage(tc.raw))
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v %v, want %+v", tc.raw, got, err, tc.want)
		}
	}
	if _, err := purchase.SettingsOf(json.RawMessage(`{"retry_every":"never"}`)); err == nil {
		t.Error("bad settings accepted")
	}
	for n, want := range map[int]time.Duration{1: 2 * time.Second, 5: 5 * time.Minute, 6: 5 * time.Minute, 40: 5 * time.Minute} {
		if got := def.Delay(n); got != want {
			t.Errorf("Delay(%d) = %v, want %v", n, got, want)
		}
	}
}
