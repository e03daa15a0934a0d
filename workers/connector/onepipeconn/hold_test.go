package onepipeconn

import (
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/onepipe"
	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
)

// TestHold: a hold on a granted consent is placed with the consent's token
// (read from the parent row) under a transaction_ref of its own, and
// answers its expiry as Data; the provider's refusals are declines with
// its code; a hold whose consent holds no token cannot be sent.
func TestHold(t *testing.T) {
	t.Parallel()
	r := newRig(t, onepipesim.Options{})
	consent := r.grantedConsent(t, bankAuth())
	h := r.holdTxn(consent, "100.00")
	res := r.call(t, opHold, h, false)
	want(t, "hold", res, lifecycle.OK, "")
	if res.ProviderReference == "" || !res.Secret.IsZero() {
		t.Fatalf("hold: %+v", res)
	}
	wantTime(t, res, "hold_expires_at", simT0.Add(onepipesim.DefaultHoldTTL))
	s := r.sent(t, onepipe.PathTransact)
	if len(s) != 2 || s[1].TransactionRef == s[0].TransactionRef {
		t.Fatalf("sent %+v: the hold needs a transaction_ref of its own", s)
	}

	want(t, "insufficient funds", r.call(t, opHold, r.holdTxn(consent, "51.51"), false),
		lifecycle.Declined, onepipe.CodeInsufficientFunds)

	ungranted := r.consentTxn(cardAuth(), "1.00")
	r.insert(t, ungranted)
	n := r.count(onepipe.PathTransact)
	want(t, "hold on a consent without a token", r.call(t, opHold, r.holdTxn(ungranted, "10.00"), false),
		lifecycle.Failed, "token_unavailable")
	orphan := r.holdTxn(consent, "10.00")
	orphan.ParentID = nil
	want(t, "hold without a consent", r.call(t, opHold, orphan, false), lifecycle.Failed, "token_unavailable")
	if got := r.count(onepipe.PathTransact); got != n {
		t.Fatalf("%d holds sent without a token", got-n)
	}
}

// TestCaptureRelease: a capture collects part or all of the hold, as the
// hold lifecycle's capture detail says, with the hold as parent; more than
// is held is the provider's decline. Release is Repeat: twice is OK twice;
// a captured hold cannot be released.
func TestCaptureRelease(t *testing.T) {
	t.Parallel()
	r := newRig(t, onepipesim.Options{})
	for _, tc := range []struct {
		name, capture string
		outcome       lifecycle.Outcome
		code          string
	}{
		{"part", "40.00", lifecycle.OK, ""},
		{"all", "100.00", lifecycle.OK, ""},
		{"more than held", "100.01", lifecycle.Declined, onepipe.CodeInvalidAmount},
	} {
		h := r.heldHold(t, "100.00")
		res := r.call(t, opCapture, capturing(h, tc.capture), false)
		want(t, "capture "+tc.name, res, tc.outcome, tc.code)
		s := r.sent(t, onepipe.PathTransact)
		hold, capt := s[len(s)-2], s[len(s)-1]
		if capt.Parent != hold.TransactionRef || capt.TransactionRef == hold.TransactionRef {
			t.Fatalf("capture %s sent %+v, the hold %+v", tc.name, capt, hold)
		}
		if tc.outcome == lifecycle.OK {
			want(t, "release of a captured hold", r.call(t, opRelease, h, false), lifecycle.Declined, onepipe.CodeInvalidState)
		}
	}

	h := r.heldHold(t, "100.00")
	for i := range 2 {
		res := r.call(t, opRelease, h, false)
		want(t, "release", res, lifecycle.OK, "")
		if got := data(t, res)["transaction_status"]; got != onepipe.StateReleased {
			t.Fatalf("release %d: transaction_status %q", i, got)
		}
	}
	want(t, "capture of a released hold", r.call(t, opCapture, capturing(h, "1.00"), false), lifecycle.Declined, onepipe.CodeInvalidState)

	n := r.count(onepipe.PathTransact)
	want(t, "capture without a capture detail", r.call(t, opCapture, r.heldHold(t, "5.00"), false), lifecycle.Failed, "invalid_capture")
	if got := r.count(onepipe.PathTransact); got != n+2 { // the consent and the hold of heldHold
		t.Fatalf("%d requests, want the consent and the hold only", got-n)
	}
}

// TestExpiry: with the simulator's short expiries, the token's and the
// hold's expiry come back as Data; past the hold's expiry a capture is
// declined 54 and its release answers OK with transaction_status Expired;
// past the token's, a new hold is declined 54.
func TestExpiry(t *testing.T) {
	t.Parallel()
	r := newRig(t, onepipesim.Options{TokenTTL: time.Hour, HoldTTL: 10 * time.Minute, OTPOverride: true})
	consent := r.consentTxn(walletAuth(), "1.00")
	res := r.call(t, opConsent, consent, false)
	want(t, "consent", res, lifecycle.OK, "")
	wantTime(t, res, "token_expires_at", simT0.Add(time.Hour))
	lifecycle.SealDetail(r.deps.Sealer, consent, keyToken, purposeToken, res.Secret.Reveal())
	r.insert(t, consent)

	h := r.holdTxn(consent, "20.00")
	res = r.call(t, opHold, h, false)
	want(t, "hold", res, lifecycle.OK, "")
	wantTime(t, res, "hold_expires_at", simT0.Add(10*time.Minute))

	r.sim.Advance(10 * time.Minute)
	want(t, "capture after the hold expired", r.call(t, opCapture, capturing(h, "20.00"), false), lifecycle.Declined, onepipe.CodeExpired)
	res = r.call(t, opRelease, h, false)
	want(t, "release of an expired hold", res, lifecycle.OK, "")
	if got := data(t, res)["transaction_status"]; got != onepipe.StateExpired {
		t.Fatalf("release: transaction_status %q, want Expired", got)
	}

	r.sim.Advance(time.Hour)
	want(t, "hold after the token expired", r.call(t, opHold, r.holdTxn(consent, "20.00"), false), lifecycle.Declined, onepipe.CodeExpired)
}
