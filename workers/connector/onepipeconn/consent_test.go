package onepipeconn

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/onepipe"
	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
)

// TestConsentFlow: a consent of a card, a bank account or a wallet asks for
// the OTP (or, as the simulator's knob chooses, a validation answer) with
// the provider's prompt; validate with it grants the consent, with the
// provider token as the result's Secret and its expiry as Data; the
// verification hold is then released (twice: OK both times). Validate
// names the consent's transaction_ref with a request_ref of its own.
func TestConsentFlow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		auth   string
		status onepipesim.Status
		code   string
		prompt string
	}{
		{"card, OTP", cardAuth(), onepipesim.StatusWaitingForOTP, "WaitingForOTP", "Please enter the OTP sent to 234802****32"},
		{"bank account, OTP", bankAuth(), onepipesim.StatusWaitingForOTP, "WaitingForOTP", "Please enter the OTP sent to 234802****32"},
		{"wallet, OTP", walletAuth(), onepipesim.StatusWaitingForOTP, "WaitingForOTP", "Please enter the OTP sent to 234802****32"},
		{"card, validation", cardAuth(), onepipesim.StatusPendingValidation, "PendingValidation", "Please enter the validation code sent to you"},
		{"bank account, validation", bankAuth(), onepipesim.StatusPendingValidation, "PendingValidation", "Please enter the validation code sent to you"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, onepipesim.Options{ConsentStatus: tt.status})
			txn := r.consentTxn(tt.auth, "1.00")
			res := r.call(t, opConsent, txn, false)
			want(t, "consent", res, lifecycle.OK, tt.code)
			if res.Message != tt.prompt || !res.Secret.IsZero() || res.ProviderReference == "" {
				t.Fatalf("consent: %+v, want the prompt %q, a reference and no token", res, tt.prompt)
			}
			res = r.call(t, opValidate, r.withOTP(txn, onepipesim.DefaultSimOTP), false)
			want(t, "validate", res, lifecycle.OK, "")
			if res.Secret.IsZero() || !contains(string(res.Secret.Reveal()), "tok-") {
				t.Fatalf("validate: no provider token in Secret: %+v", res)
			}
			if b, _ := json.Marshal(res); contains(string(b)+fmt.Sprintf("%v %+v", res, res), "tok-") {
				t.Fatalf("the token shows in the result: %s", b)
			}
			wantTime(t, res, "token_expires_at", simT0.Add(onepipesim.DefaultTokenTTL))
			for i := range 2 {
				rel := r.call(t, opRelease, txn, false)
				want(t, "release of the verification hold", rel, lifecycle.OK, "")
				if got := data(t, rel)["transaction_status"]; got != onepipe.StateReleased {
					t.Fatalf("release %d: transaction_status %q", i, got)
				}
			}
			c, v := r.sent(t, onepipe.PathTransact), r.sent(t, onepipe.PathValidate)
			if len(c) != 1 || len(v) != 1 || v[0].TransactionRef != c[0].TransactionRef || v[0].RequestRef == c[0].RequestRef {
				t.Fatalf("consent sent %+v, validate sent %+v", c, v)
			}
			if rel := r.sent(t, onepipe.PathReverse); rel[0].TransactionRef != c[0].TransactionRef {
				t.Fatalf("release sent %+v, consent %+v", rel, c)
			}
		})
	}
}

// TestConsentOTPOverride: a provider told to skip the OTP grants the
// consent at once: OK with the token.
func TestConsentOTPOverride(t *testing.T) {
	t.Parallel()
	r := newRig(t, onepipesim.Options{OTPOverride: true})
	res := r.call(t, opConsent, r.consentTxn(bankAuth(), "1.00"), false)
	want(t, "consent", res, lifecycle.OK, "")
	if res.Secret.IsZero() {
		t.Fatal("granted without a token")
	}
	wantTime(t, res, "token_expires_at", simT0.Add(onepipesim.DefaultTokenTTL))
}

// TestConsentDeclines: what the provider refuses is declined with its
// code; what cannot be sent at all fails, before anything is sent.
func TestConsentDeclines(t *testing.T) {
	t.Parallel()
	r := newRig(t, onepipesim.Options{})

	txn := r.consentTxn(cardAuth(), "1.00")
	want(t, "consent", r.call(t, opConsent, txn, false), lifecycle.OK, "WaitingForOTP")
	want(t, "wrong OTP", r.call(t, opValidate, r.withOTP(txn, "000000"), false), lifecycle.Declined, onepipe.CodeWrongOTP)
	want(t, "the right OTP after a wrong one", r.call(t, opValidate, r.withOTP(txn, onepipesim.DefaultSimOTP), false),
		lifecycle.Declined, onepipe.CodeWrongOTP)

	want(t, "insufficient funds", r.call(t, opConsent, r.consentTxn(bankAuth(), "51.51"), false),
		lifecycle.Declined, onepipe.CodeInsufficientFunds)
	want(t, "bad card", r.call(t, opConsent, r.consentTxn(`{"type":"card","number":"5061040000000000215"}`, "1.00"), false),
		lifecycle.Failed, "invalid_auth")

	n := r.count(onepipe.PathTransact) + r.count(onepipe.PathValidate)
	noAuth := r.consentTxn(cardAuth(), "1.00")
	delete(noAuth.Details, keyAuth)
	want(t, "no auth", r.call(t, opConsent, noAuth, false), lifecycle.Failed, "invalid_auth")
	noOTP := r.consentTxn(cardAuth(), "1.00")
	want(t, "no OTP", r.call(t, opValidate, noOTP, false), lifecycle.Failed, "otp_unavailable")
	if got := r.count(onepipe.PathTransact) + r.count(onepipe.PathValidate); got != n {
		t.Fatalf("%d requests sent for calls that cannot be made", got-n)
	}
}
