package consent_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

var (
	now     = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	expires = time.Date(2027, 11, 22, 10, 0, 0, 0, time.UTC)
)

func result(op string, o lifecycle.Outcome, code string) lifecycle.Result {
	r := lifecycle.Result{Op: op, Outcome: o, Code: code, Message: "m-" + op + "-" + o.String()}
	if o == lifecycle.OK && code == "" {
		r.Code, r.ProviderReference = "00", "p-"+op
		r.Data = []byte(`{"token_expires_at":"` + expires.Format(time.RFC3339) + `"}`)
		r.Secret = lifecycle.NewSecret([]byte("tok-1"))
	}
	return r
}

// The inputs a consent may be given, by name.
var inputs = map[string]lifecycle.Input{
	"consent ok":                 result("consent", lifecycle.OK, ""),
	"consent ok without a token": lifecycle.Result{Op: "consent", Outcome: lifecycle.OK, Code: "00", Message: "m"},
	"consent otp":                result("consent", lifecycle.OK, consent.CodeWaitingForOTP),
	"consent pending validation": result("consent", lifecycle.OK, consent.CodePendingValidation),
	"consent declined":           result("consent", lifecycle.Declined, "51"),
	"consent failed":             result("consent", lifecycle.Failed, "F"),
	"consent not found":          result("consent", lifecycle.NotFound, "25"),
	"consent unknown":            result("consent", lifecycle.Unknown, ""),
	"consent retry later":        result("consent", lifecycle.RetryLater, ""),

	"validate ok":       result("validate", lifecycle.OK, ""),
	"validate otp":      result("validate", lifecycle.OK, consent.CodeWaitingForOTP),
	"validate declined": result("validate", lifecycle.Declined, "OTP01"),
	"validate unknown":  result("validate", lifecycle.Unknown, ""),

	"release ok":       result("release", lifecycle.OK, ""),
	"release declined": result("release", lifecycle.Declined, "R1"),
	"release unknown":  result("release", lifecycle.Unknown, ""),

	"retry timer":    lifecycle.TimerFired{Kind: consent.TimerRetry, Attempt: 1, DueAt: now},
	"release timer":  lifecycle.TimerFired{Kind: consent.TimerRelease, Attempt: 1, DueAt: now},
	"other timer":    lifecycle.TimerFired{Kind: "hold_expiry", DueAt: now},
	"validate cmd":   consent.Validate{},
	"call cancelled": lifecycle.CallCancelled{Op: "consent"},
	"settle":         lifecycle.Settle{At: now},
	"parent settled": lifecycle.ParentSettled{},
}

// The states a consent may be in, by name.
func states() map[string]consent.State {
	return map[string]consent.State{
		"pending":                   {Status: "pending", Op: "consent"},
		"awaiting_otp":              otp("awaiting_otp", ""),
		"validating":                {Status: "pending", Op: "validate"},
		"awaiting_validation":       {Status: "awaiting_validation", Reason: awaiting("awaiting_validation", consent.CodePendingValidation)},
		"granted, releasing":        granted(consent.ReleasePending, 0),
		"granted, release retrying": granted(consent.ReleaseRetrying, 1),
		"granted, released":         granted(consent.ReleaseDone, 1),
		"failed":                    {Status: "failed", Reason: &events.Reason{Code: events.ReasonProviderDeclined, ProviderCode: "51"}},
	}
}

func otp(status, op string) consent.State {
	return consent.State{Status: status, Op: op, Reason: awaiting(status, consent.CodeWaitingForOTP)}
}

func awaiting(status, code string) *events.Reason {
	return &events.Reason{Code: status, ProviderCode: code, Message: "m-consent-ok"}
}

func granted(release string, attempts int) consent.State {
	e := expires
	return consent.State{Status: "granted", ProviderReference: "p-consent", TokenExpiresAt: &e,
		Release: &consent.Release{Status: release, Attempts: attempts}}
}

type row struct {
	state, input string
	want         consent.State
	effs         []effect.Effect
}

func call(op string, recover bool) []effect.Effect {
	return []effect.Effect{effect.Call{Op: op, Recover: recover}}
}

func timer(kind string, attempt int, d time.Duration) []effect.Effect {
	return []effect.Effect{effect.SetTimer{Kind: kind, At: now.Add(d), Attempt: attempt}}
}

func failed(code, provCode, msg string) consent.State {
	return consent.State{Status: "failed", Reason: &events.Reason{Code: code, ProviderCode: provCode, Message: msg}}
}

// allowed lists every transition a consent may take; every other (state,
// input) pair must leave it unchanged: ignored, or invalid_state for a
// command.
func allowed() []row {
	s := states()
	grantedNew := granted(consent.ReleasePending, 0)
	grantedNew.ProviderReference = "p-consent"
	validatedGrant := granted(consent.ReleasePending, 0)
	validatedGrant.ProviderReference = "p-validate"
	retrying := func(st consent.State, attempt int) consent.State { st.Attempt = attempt; return st }
	askedAgain := otp("awaiting_otp", "")
	askedAgain.Reason.Message, askedAgain.OTPAttempts = "m-validate-ok", 1
	release := func(st consent.State, status string, attempts int, code string) consent.State {
		st.Release = &consent.Release{Status: status, Attempts: attempts, Code: code}
		return st
	}
	noToken := failed(events.ReasonProviderError, "00", "the provider granted the consent without a token")
	return []row{
		// pending: the consent call's answer
		{"pending", "consent ok", grantedNew, call("release", false)},
		{"pending", "consent ok without a token", noToken, nil},
		{"pending", "consent otp", otp("awaiting_otp", ""), nil},
		{"pending", "consent pending validation", s["awaiting_validation"], nil},
		{"pending", "consent declined", failed(events.ReasonProviderDeclined, "51", "m-consent-declined"), nil},
		{"pending", "consent failed", failed(events.ReasonProviderError, "F", "m-consent-failed"), nil},
		{"pending", "consent not found", failed(events.ReasonProviderError, "25", "m-consent-not_found"), nil},
		{"pending", "consent unknown", retrying(s["pending"], 1), timer("retry", 1, time.Second)},
		{"pending", "consent retry later", retrying(s["pending"], 1), timer("retry", 1, time.Second)},
		{"pending", "retry timer", s["pending"], call("consent", true)},

		// awaiting the customer: consent.validate; pending while the provider checks it
		{"awaiting_otp", "validate cmd", s["validating"], call("validate", false)},
		{"awaiting_validation", "validate cmd", s["validating"], call("validate", false)},

		// validating: the validate call's answer
		{"validating", "validate ok", validatedGrant, call("release", false)},
		{"validating", "validate otp", askedAgain, nil},
		{"validating", "validate declined", failed(events.ReasonProviderDeclined, "OTP01", "m-validate-declined"), nil},
		{"validating", "validate unknown", retrying(s["validating"], 1), timer("retry", 1, time.Second)},
		{"validating", "retry timer", s["validating"], call("validate", true)},

		// granted: the verification hold's release, never blocking granted
		{"granted, releasing", "release ok", release(grantedNew, consent.ReleaseDone, 1, ""), nil},
		{"granted, releasing", "release declined", release(grantedNew, consent.ReleaseFailed, 1, "R1"), nil},
		{"granted, releasing", "release unknown", release(grantedNew, consent.ReleaseRetrying, 1, ""), timer("release", 1, time.Second)},
		{"granted, release retrying", "release timer", release(grantedNew, consent.ReleasePending, 1, ""), call("release", false)},
	}
}

func TestDecide(t *testing.T) {
	s := states()
	done := map[[2]string]bool{}
	for _, r := range allowed() {
		done[[2]string{r.state, r.input}] = true
		t.Run(r.state+" + "+r.input, func(t *testing.T) {
			from := s[r.state]
			got, effs, err := consent.Decide(from, inputs[r.input], now, consent.Policy{})
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			expectState(t, got, r.want)
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
			if done[[2]string{state, input}] {
				continue
			}
			got, effs, err := consent.Decide(from, in, now, consent.Policy{})
			want := lifecycle.ErrIgnored
			if _, isCmd := in.(consent.Validate); isCmd {
				want = lifecycle.ErrInvalidState
			}
			if !errors.Is(err, want) || effs != nil || !reflect.DeepEqual(got, from) {
				t.Errorf("%s + %s: %+v, %v, %v; want it refused (%v), unchanged", state, input, got, effs, err, want)
			}
		}
	}
}

// TestRetryBackOff: each unknown answer schedules the next query-first
// retry further out (1s, 2s, 4s, … capped at 5m); an answer ends it.
func TestRetryBackOff(t *testing.T) {
	s := consent.State{Status: "pending", Op: "consent", Attempt: 2}
	got, effs, err := consent.Decide(s, inputs["consent unknown"], now, consent.Policy{})
	if err != nil || got.Attempt != 3 || !reflect.DeepEqual(effs, timer("retry", 3, 4*time.Second)) {
		t.Fatalf("third unknown: %+v %v %v, want attempt 3 in 4s", got, effs, err)
	}
	s.Attempt = 30
	if _, effs, _ = consent.Decide(s, inputs["consent unknown"], now, consent.Policy{}); !reflect.DeepEqual(effs, timer("retry", 31, 5*time.Minute)) {
		t.Fatalf("late unknown: %v, want the 5m cap", effs)
	}
	if got, _, _ = consent.Decide(s, inputs["consent ok"], now, consent.Policy{}); got.Status != "granted" || got.Attempt != 0 {
		t.Fatalf("an answer after retries: %+v, want granted, attempts reset", got)
	}
}

// TestOTPAttemptsBounded: where the provider lets a wrong OTP be retried
// (it asks for the OTP again), the consent takes at most Policy.OTPAttempts
// (default 3) validations, then fails with the provider's code.
func TestOTPAttemptsBounded(t *testing.T) {
	s := otp("awaiting_otp", "")
	for i := 1; i <= 3; i++ {
		var err error
		if s, _, err = consent.Decide(s, consent.Validate{}, now, consent.Policy{}); err != nil {
			t.Fatalf("validation %d refused: %v", i, err)
		}
		if s, _, err = consent.Decide(s, inputs["validate otp"], now, consent.Policy{}); err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		if i < 3 && s.Status != "awaiting_otp" {
			t.Fatalf("after %d wrong OTPs the consent is %s, want awaiting_otp", i, s.Status)
		}
	}
	if s.Status != "failed" || s.Reason.Code != events.ReasonProviderDeclined || s.Reason.ProviderCode != consent.CodeWaitingForOTP {
		t.Fatalf("after 3 wrong OTPs: %s %+v, want failed provider_declined with the provider's code", s.Status, s.Reason)
	}
	if _, _, err := consent.Decide(s, consent.Validate{}, now, consent.Policy{}); !errors.Is(err, lifecycle.ErrInvalidState) {
		t.Fatalf("a 4th validation: %v, want invalid_state", err)
	}
}

// TestReleaseGivesUp: a verification hold whose release keeps failing is
// retried on the durable back-off, Policy.ReleaseAttempts times (default
// 10), then left failed for an operator; the consent stays granted.
func TestReleaseGivesUp(t *testing.T) {
	s := granted(consent.ReleasePending, 0)
	for i := 1; i <= 10; i++ {
		var effs []effect.Effect
		var err error
		s, effs, err = consent.Decide(s, inputs["release unknown"], now, consent.Policy{})
		if err != nil {
			t.Fatal(err)
		}
		if i == 10 {
			if s.Release.Status != consent.ReleaseFailed || effs != nil || s.Status != "granted" {
				t.Fatalf("after 10 failures: %+v %v, want the release failed, the consent granted", s.Release, effs)
			}
			return
		}
		if s.Release.Status != consent.ReleaseRetrying || len(effs) != 1 {
			t.Fatalf("failure %d: %+v %v, want a retry", i, s.Release, effs)
		}
		if s, _, err = consent.Decide(s, inputs["release timer"], now, consent.Policy{}); err != nil {
			t.Fatal(err)
		}
	}
}

func expectState(t *testing.T, got, want consent.State) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("state\n got %+v (reason %+v, release %+v)\nwant %+v (reason %+v, release %+v)",
			got, got.Reason, got.Release, want, want.Reason, want.Release)
	}
}
