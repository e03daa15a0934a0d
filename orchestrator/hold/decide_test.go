package hold_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/hold"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

var (
	now     = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	expires = now.Add(7 * 24 * time.Hour)
	held    = dec("100")
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func result(op string, o lifecycle.Outcome) lifecycle.Result {
	r := lifecycle.Result{Op: op, Outcome: o, Code: "C-" + o.String(), Message: "m-" + op + "-" + o.String()}
	if o == lifecycle.OK {
		r.Code, r.ProviderReference = "00", "p-"+op
		if op == hold.OpHold {
			r.Data = []byte(`{"hold_expires_at":"` + expires.Format(time.RFC3339) + `"}`)
		}
	}
	return r
}

var inputs = map[string]lifecycle.Input{
	"hold ok":          result("hold", lifecycle.OK),
	"hold declined":    result("hold", lifecycle.Declined),
	"hold failed":      result("hold", lifecycle.Failed),
	"hold not found":   result("hold", lifecycle.NotFound),
	"hold unknown":     result("hold", lifecycle.Unknown),
	"hold retry later": result("hold", lifecycle.RetryLater),

	"capture ok":       result("capture", lifecycle.OK),
	"capture declined": result("capture", lifecycle.Declined),
	"capture failed":   result("capture", lifecycle.Failed),
	"capture unknown":  result("capture", lifecycle.Unknown),

	"release ok":       result("release", lifecycle.OK),
	"release declined": result("release", lifecycle.Declined),
	"release unknown":  result("release", lifecycle.Unknown),

	"expiry timer": lifecycle.TimerFired{Kind: hold.TimerExpiry, DueAt: expires},
	"retry timer":  lifecycle.TimerFired{Kind: hold.TimerRetry, Attempt: 1, DueAt: now},
	"other timer":  lifecycle.TimerFired{Kind: "confirm_deadline", DueAt: now},

	"release cmd":         hold.Release{},
	"capture cmd, all":    hold.Capture{},
	"capture cmd, 60":     hold.Capture{Amount: dec("60"), Given: true},
	"capture cmd, 100.01": hold.Capture{Amount: dec("100.01"), Given: true},
	"call cancelled":      lifecycle.CallCancelled{Op: "hold"},
	"settle":              lifecycle.Settle{At: now},
	"parent settled":      lifecycle.ParentSettled{},
}

func isCommand(in lifecycle.Input) bool {
	switch in.(type) {
	case hold.Release, hold.Capture:
		return true
	}
	return false
}

func heldState() hold.State {
	e := expires
	return hold.State{Status: "held", ProviderReference: "p-hold", HoldExpiresAt: &e}
}

func with(s hold.State, status, op string) hold.State {
	s.Status, s.Op = status, op
	return s
}

var expiring = &events.Reason{Code: events.ReasonHoldExpired, Message: "the hold reached hold_expires_at unused; it is released"}

func states() map[string]hold.State {
	capturing := with(heldState(), "capturing", "capture")
	capturing.CaptureAmount = "60"
	expiringRel := with(heldState(), "releasing", "release")
	expiringRel.Reason = expiring
	captured := capturing
	captured.Status, captured.Op, captured.ProviderReference = "captured", "", "p-hold"
	return map[string]hold.State{
		"pending":             {Status: "pending", Op: "hold"},
		"held":                heldState(),
		"releasing":           with(heldState(), "releasing", "release"),
		"releasing, expiring": expiringRel,
		"capturing":           capturing,
		"released":            with(heldState(), "released", ""),
		"captured":            captured,
		"expired":             func() hold.State { s := with(heldState(), "expired", ""); s.Reason = expiring; return s }(),
		"failed":              {Status: "failed", Reason: &events.Reason{Code: events.ReasonProviderDeclined, ProviderCode: "51"}},
	}
}

type row struct {
	state, input string
	want         hold.State
	effs         []effect.Effect
}

func call(op string, recover bool) effect.Effect { return effect.Call{Op: op, Recover: recover} }

var (
	cancelExpiry = effect.CancelTimer{Kind: hold.TimerExpiry}
	armExpiry    = effect.SetTimer{Kind: hold.TimerExpiry, At: expires}
	retry1       = effect.SetTimer{Kind: hold.TimerRetry, At: now.Add(time.Second), Attempt: 1}
)

func allowed() []row {
	s := states()
	retrying := func(st hold.State) hold.State { st.Attempt = 1; return st }
	failed := func(code string, o lifecycle.Outcome) hold.State {
		return hold.State{Status: "failed", Reason: &events.Reason{Code: code, ProviderCode: "C-" + o.String(), Message: "m-hold-" + o.String()}}
	}
	heldAgain := func(code string, o lifecycle.Outcome) hold.State {
		st := heldState()
		st.Reason = &events.Reason{Code: code, ProviderCode: "C-" + o.String(), Message: "m-capture-" + o.String()}
		return st
	}
	capturing := func(amount string) hold.State {
		st := with(heldState(), "capturing", "capture")
		st.CaptureAmount = amount
		return st
	}
	captured := s["captured"]
	captured.CaptureReference = "p-capture" // the hold keeps its own reference
	return []row{
		{"pending", "hold ok", heldState(), []effect.Effect{armExpiry}},
		{"pending", "hold declined", failed(events.ReasonProviderDeclined, lifecycle.Declined), nil},
		{"pending", "hold failed", failed(events.ReasonProviderError, lifecycle.Failed), nil},
		{"pending", "hold not found", failed(events.ReasonProviderError, lifecycle.NotFound), nil},
		{"pending", "hold unknown", retrying(s["pending"]), []effect.Effect{retry1}},
		{"pending", "hold retry later", retrying(s["pending"]), []effect.Effect{retry1}},
		{"pending", "retry timer", s["pending"], []effect.Effect{call("hold", true)}},

		{"held", "release cmd", s["releasing"], []effect.Effect{cancelExpiry, call("release", false)}},
		{"held", "capture cmd, all", capturing("100"), []effect.Effect{cancelExpiry, call("capture", false)}},
		{"held", "capture cmd, 60", capturing("60"), []effect.Effect{cancelExpiry, call("capture", false)}},
		{"held", "expiry timer", s["releasing, expiring"], []effect.Effect{call("release", false)}},

		{"releasing", "release ok", s["released"], nil},
		{"releasing", "release declined", retrying(s["releasing"]), []effect.Effect{retry1}},
		{"releasing", "release unknown", retrying(s["releasing"]), []effect.Effect{retry1}},
		{"releasing", "retry timer", s["releasing"], []effect.Effect{call("release", true)}},
		{"releasing, expiring", "release ok", s["expired"], nil},
		{"releasing, expiring", "release unknown", retrying(s["releasing, expiring"]), []effect.Effect{retry1}},
		{"releasing, expiring", "release declined", retrying(s["releasing, expiring"]), []effect.Effect{retry1}},
		{"releasing, expiring", "retry timer", s["releasing, expiring"], []effect.Effect{call("release", true)}},

		{"capturing", "capture ok", captured, nil},
		{"capturing", "capture declined", heldAgain(events.ReasonProviderDeclined, lifecycle.Declined), []effect.Effect{armExpiry}},
		{"capturing", "capture failed", heldAgain(events.ReasonProviderError, lifecycle.Failed), []effect.Effect{armExpiry}},
		{"capturing", "capture unknown", retrying(s["capturing"]), []effect.Effect{retry1}},
		{"capturing", "retry timer", s["capturing"], []effect.Effect{call("capture", true)}},
	}
}

func TestDecide(t *testing.T) {
	s := states()
	done := map[[2]string]bool{}
	for _, r := range allowed() {
		done[[2]string{r.state, r.input}] = true
		t.Run(r.state+" + "+r.input, func(t *testing.T) {
			from := s[r.state]
			got, effs, err := hold.Decide(from, held, inputs[r.input], now, hold.Policy{})
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if !reflect.DeepEqual(got, r.want) {
				t.Fatalf("state\n got %+v (reason %+v)\nwant %+v (reason %+v)", got, got.Reason, r.want, r.want.Reason)
			}
			if !reflect.DeepEqual(effs, r.effs) {
				t.Fatalf("effects %#v, want %#v", effs, r.effs)
			}
			if !reflect.DeepEqual(from, s[r.state]) {
				t.Fatalf("Decide modified its argument: %+v", from)
			}
		})
	}
	for state, from := range s {
		for input, in := range inputs {
			if done[[2]string{state, input}] || (state == "held" && input == "capture cmd, 100.01") {
				continue
			}
			got, effs, err := hold.Decide(from, held, in, now, hold.Policy{})
			want := lifecycle.ErrIgnored
			if isCommand(in) {
				want = lifecycle.ErrInvalidState
			}
			if !errors.Is(err, want) || effs != nil || !reflect.DeepEqual(got, from) {
				t.Errorf("%s + %s: %+v, %v, %v; want it refused (%v), unchanged", state, input, got, effs, err, want)
			}
			if want == lifecycle.ErrInvalidState && !strings.Contains(err.Error(), state[:strings.IndexAny(state+",", ",")]) {
				t.Errorf("%s + %s: %q does not name the status", state, input, err)
			}
		}
	}
}

// TestCaptureMoreThanHeld: a capture of more than is held is rejected
// amount_exceeds_refundable on data.amount; the hold stays held.
func TestCaptureMoreThanHeld(t *testing.T) {
	from := heldState()
	got, effs, err := hold.Decide(from, held, inputs["capture cmd, 100.01"], now, hold.Policy{})
	var r *lifecycle.Rejection
	if !errors.As(err, &r) || r.Reason.Code != events.ReasonAmountExceedsRefund || r.Reason.Field != "data.amount" || !strings.Contains(r.Reason.Message, "100") {
		t.Fatalf("error %v, want amount_exceeds_refundable on data.amount naming what is held", err)
	}
	if effs != nil || !reflect.DeepEqual(got, from) {
		t.Fatalf("a rejection changed the hold: %+v %v", got, effs)
	}
}

// TestStart: a hold is placed only with a granted consent whose token has
// not expired.
func TestStart(t *testing.T) {
	for _, tc := range []struct {
		name     string
		c        hold.Consent
		wantCode string
		wantMsg  string
	}{
		{"granted", hold.Consent{Status: "granted", TokenExpiresAt: now.Add(time.Hour)}, "", ""},
		{"granted, no expiry", hold.Consent{Status: "granted"}, "", ""},
		{"token expired", hold.Consent{Status: "granted", TokenExpiresAt: now}, events.ReasonConsentExpired, "expired"},
		{"awaiting otp", hold.Consent{Status: "awaiting_otp"}, events.ReasonInvalidState, "awaiting_otp"},
		{"pending", hold.Consent{Status: "pending"}, events.ReasonInvalidState, "pending"},
		{"failed", hold.Consent{Status: "failed"}, events.ReasonInvalidState, "failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, effs, err := hold.Start(tc.c, now)
			if tc.wantCode == "" {
				if err != nil || s.Status != "pending" || s.Op != "hold" || !reflect.DeepEqual(effs, []effect.Effect{call("hold", false)}) {
					t.Fatalf("Start: %+v %v %v", s, effs, err)
				}
				return
			}
			var r *lifecycle.Rejection
			if !errors.As(err, &r) || r.Reason.Code != tc.wantCode || r.Reason.Field != "data.consent_id" || !strings.Contains(r.Reason.Message, tc.wantMsg) {
				t.Fatalf("error %v, want %s on data.consent_id saying %q", err, tc.wantCode, tc.wantMsg)
			}
		})
	}
}
