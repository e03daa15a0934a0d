package consent_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// TestCardConsentWithOTP: a card consent waits for the OTP (the prompt in
// reason.message), is granted by consent.validate, keeps the provider token
// sealed (never shown), shows token_expires_at, and releases its
// verification hold. The auth is sealed for the consent and validate calls
// and dropped after; the OTP is sealed for the validate call only.
func TestCardConsentWithOTP(t *testing.T) {
	h := setup(t)
	id := h.Command(events.ConsentCreate, consentData(cardAuth()))
	h.ExpectStatus(id, events.StatusPending)
	h.Provider(onepipe, consent.OpConsent).Returns(waitingForOTP)
	h.RunWork()
	c := h.ExpectStatus(id, events.StatusAwaitingOTP)
	if c.Reason == nil || c.Reason.Message != waitingForOTP.Message || c.Reason.ProviderCode != consent.CodeWaitingForOTP {
		t.Fatalf("reason %+v, want the provider's prompt", c.Reason)
	}
	if r := h.Engine.Resource(c); r.PaymentMethod == nil || r.PaymentMethod.Last4 != "0094" || r.PaymentMethod.BIN != "506102" {
		t.Fatalf("payment method shown %+v, want the card masked", r.PaymentMethod)
	}

	h.Command(events.ConsentValidate, validateData(id, "otp", theOTP))
	if c = h.ExpectStatus(id, events.StatusPending); !consent.New().InFlight(c.Status) {
		t.Fatal("a consent being validated is not in flight: Prefer: wait would not wait for the outcome")
	}
	h.Provider(onepipe, consent.OpValidate).Returns(grantedAnswer("op-ref-1"))
	h.Provider(onepipe, consent.OpRelease).Returns(released)
	h.RunWork()
	c = h.ExpectStatus(id, events.StatusGranted)
	h.ExpectEvents(id, "consent.pending", "consent.awaiting_otp", "consent.pending", "consent.granted")
	h.ExpectCalls("onepipe/consent", "onepipe/validate", "onepipe/release")

	// what each call could open
	calls := h.Calls()
	auth, err := consent.Auth(h.Sealer, calls[0].Txn)
	var a events.ConsentAuth
	if err != nil || json.Unmarshal(auth, &a) != nil || a.Number != cardNumber || a.PIN != cardPIN {
		t.Fatalf("the consent call's auth: %v", err)
	}
	if otp, err := consent.OTP(h.Sealer, calls[1].Txn); err != nil || otp != theOTP {
		t.Fatalf("the validate call's OTP: %v", err)
	}
	if tok, err := consent.ProviderToken(h.Sealer, c); err != nil || tok != theToken {
		t.Fatalf("provider token: %v", err)
	}
	for _, key := range []string{consent.DetailAuth, consent.DetailOTP} {
		if _, kept := c.Details[key]; kept {
			t.Fatalf("%s kept after the consent was granted", key)
		}
	}
	r := h.Engine.Resource(c)
	if r.TokenExpiresAt == nil || !r.TokenExpiresAt.Equal(tokenExpiry) || r.ProviderReference != "op-ref-1" {
		t.Fatalf("shown token_expires_at %v, provider reference %q", r.TokenExpiresAt, r.ProviderReference)
	}
	js, _ := json.Marshal(r)
	var shown map[string]any
	_ = json.Unmarshal(js, &shown)
	if shown["token_expires_at"] == nil {
		t.Fatalf("resource %s has no token_expires_at", js)
	}
	if rel := releaseOf(t, c); rel.Status != consent.ReleaseDone {
		t.Fatalf("verification hold %+v, want released", rel)
	}
	expectNoSecret(h, t, []uuid.UUID{id}, cardNumber, `"`+cardPIN+`"`, `"`+theOTP+`"`, theToken, `"`+cardCVV+`"`)
}

// TestBankAccountPendingValidation: a bank account consent the provider
// asks to validate with a value (PendingValidation) is granted by
// consent.validate with that value.
func TestBankAccountPendingValidation(t *testing.T) {
	h := setup(t)
	id := h.Command(events.ConsentCreate, consentData(bankAuth()))
	h.Provider(onepipe, consent.OpConsent).Returns(pendingValidation)
	h.RunWork()
	c := h.ExpectStatus(id, events.StatusAwaitingValidation)
	if c.Reason.Message != pendingValidation.Message {
		t.Fatalf("reason %+v, want the prompt", c.Reason)
	}
	h.Command(events.ConsentValidate, validateData(id, "value", "1.27"))
	h.Provider(onepipe, consent.OpValidate).Returns(grantedAnswer("op-ref-2"))
	h.Provider(onepipe, consent.OpRelease).Returns(released)
	h.RunWork()
	h.ExpectStatus(id, events.StatusGranted)
	if v, err := consent.OTP(h.Sealer, h.Provider(onepipe, consent.OpValidate).Calls()[0].Txn); err != nil || v != "1.27" {
		t.Fatalf("the value the validate call opens: %q %v", v, err)
	}
	expectNoSecret(h, t, []uuid.UUID{id}, account, theToken)
}

// TestWrongOTP: the provider refuses the OTP: the consent fails with the
// provider's code, and a new consent.validate is invalid_state.
func TestWrongOTP(t *testing.T) {
	h := setup(t)
	id := h.Command(events.ConsentCreate, consentData(cardAuth()))
	h.Provider(onepipe, consent.OpConsent).Returns(waitingForOTP)
	h.RunWork()
	h.Command(events.ConsentValidate, validateData(id, "otp", "918273"))
	h.Provider(onepipe, consent.OpValidate).Returns(lifecycle.Result{Outcome: lifecycle.Declined, Code: "OTP_INVALID", Message: "Invalid OTP"})
	h.RunWork()
	c := h.ExpectStatus(id, events.StatusFailed)
	if c.Reason == nil || c.Reason.Code != events.ReasonProviderDeclined || c.Reason.ProviderCode != "OTP_INVALID" {
		t.Fatalf("reason %+v, want provider_declined OTP_INVALID", c.Reason)
	}
	for _, key := range []string{consent.DetailAuth, consent.DetailOTP, consent.DetailProviderToken} {
		if _, kept := c.Details[key]; kept {
			t.Fatalf("%s kept by a failed consent", key)
		}
	}
	if reason := h.Rejected(events.ConsentValidate, validateData(id, "otp", theOTP)); reason.Code != events.ReasonInvalidState {
		t.Fatalf("validate after failure: %+v, want invalid_state", reason)
	}
	h.ExpectEvents(id, "consent.pending", "consent.awaiting_otp", "consent.pending", "consent.failed")
	expectNoSecret(h, t, []uuid.UUID{id}, cardNumber, `"`+cardPIN+`"`, `"918273"`)
}

// TestValidateOutOfTurn: consent.validate on a pending consent (the
// provider has not asked for anything yet), or twice at once, is
// invalid_state.
func TestValidateOutOfTurn(t *testing.T) {
	h := setup(t)
	id := h.Command(events.ConsentCreate, consentData(cardAuth()))
	if reason := h.Rejected(events.ConsentValidate, validateData(id, "otp", theOTP)); reason.Code != events.ReasonInvalidState {
		t.Fatalf("validate while pending: %+v, want invalid_state", reason)
	}
	h.Provider(onepipe, consent.OpConsent).Returns(waitingForOTP)
	h.RunWork()
	h.Command(events.ConsentValidate, validateData(id, "otp", theOTP))
	if reason := h.Rejected(events.ConsentValidate, validateData(id, "otp", "654321")); reason.Code != events.ReasonInvalidState {
		t.Fatalf("a second validate in flight: %+v, want invalid_state", reason)
	}
	h.Provider(onepipe, consent.OpValidate).Returns(grantedAnswer("op-ref-3"))
	h.Provider(onepipe, consent.OpRelease).Returns(released)
	h.RunWork()
	if otp, _ := consent.OTP(h.Sealer, h.Provider(onepipe, consent.OpValidate).Calls()[0].Txn); otp != theOTP {
		t.Fatal("the validate call did not get the first OTP")
	}
}

// TestLostConsentAnswer: the consent call's answer is lost: the retry
// timer recovers it by the operation's rule (query first), and the
// consent continues from what the provider says.
func TestLostConsentAnswer(t *testing.T) {
	h := setup(t)
	id := h.Command(events.ConsentCreate, consentData(cardAuth()))
	script := h.Provider(onepipe, consent.OpConsent).Returns(unknown, waitingForOTP)
	h.RunWork()
	h.ExpectStatus(id, events.StatusPending)
	h.Advance(time.Second)
	if n := h.FireTimers(); n != 1 {
		t.Fatalf("%d timers fired, want the retry", n)
	}
	h.RunWork()
	calls := script.Calls()
	if len(calls) != 2 || calls[0].Recovering || !calls[1].Recovering {
		t.Fatalf("consent calls %+v: want the call, then its recovery", calls)
	}
	h.ExpectStatus(id, events.StatusAwaitingOTP)
}

// TestVerificationReleaseRetried: a release of the verification hold that
// fails is retried on its timer; the consent is granted meanwhile.
func TestVerificationReleaseRetried(t *testing.T) {
	h := setup(t)
	id := h.Command(events.ConsentCreate, consentData(cardAuth()))
	h.Provider(onepipe, consent.OpConsent).Returns(grantedAnswer("op-ref-4"))
	h.Provider(onepipe, consent.OpRelease).Returns(lifecycle.Result{Outcome: lifecycle.Unknown}, released)
	h.RunWork()
	c := h.ExpectStatus(id, events.StatusGranted)
	if rel := releaseOf(t, c); rel.Status != consent.ReleaseRetrying {
		t.Fatalf("release %+v, want retrying", rel)
	}
	h.Advance(time.Second)
	h.FireTimers()
	h.RunWork()
	if rel := releaseOf(t, h.ExpectStatus(id, events.StatusGranted)); rel.Status != consent.ReleaseDone || rel.Attempts != 2 {
		t.Fatalf("release %+v, want released after 2 attempts", rel)
	}
	h.ExpectEvents(id, "consent.pending", "consent.granted")
}
