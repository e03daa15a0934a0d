package hold_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/hold"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// TestCardFlow: a card consent is granted through its OTP, a hold is
// placed with its token (the hold's call finds it through its parent),
// and part of it is captured.
func TestCardFlow(t *testing.T) {
	h := setup(t)
	consentID := h.Command(events.ConsentCreate, consentData(cardAuth()))
	h.Provider(onepipe, consent.OpConsent).Returns(waitingForOTP)
	h.RunWork()
	h.ExpectStatus(consentID, events.StatusAwaitingOTP)
	h.Command(events.ConsentValidate, map[string]any{"transaction_id": consentID.String(), "otp": theOTP})
	h.Provider(onepipe, consent.OpValidate).Returns(grantedAnswer(h.Now().Add(30 * 24 * time.Hour)))
	h.Provider(onepipe, hold.OpRelease).Returns(ok)
	h.RunWork()
	h.ExpectStatus(consentID, events.StatusGranted)

	holdID := h.Command(events.HoldCreate, holdData(consentID, "500.00"))
	expires := h.Now().Add(7 * 24 * time.Hour)
	h.Provider(onepipe, hold.OpHold).Returns(heldAnswer(expires))
	h.RunWork()
	held := h.ExpectStatus(holdID, events.StatusHeld)
	r := h.Engine.Resource(held)
	if r.HoldExpiresAt == nil || !r.HoldExpiresAt.Equal(expires) || r.ParentID != consentID.String() || r.Amount != "500.00" {
		t.Fatalf("held hold shows %+v", r)
	}
	if at, set := expiryTimer(h, t, holdID); !set || !at.Equal(expires) {
		t.Fatalf("expiry timer at %v (set %v), want the hold's expiry %v", at, set, expires)
	}
	holdCall := h.Provider(onepipe, hold.OpHold).Calls()[0]
	if holdCall.Txn.ParentID == nil || *holdCall.Txn.ParentID != consentID {
		t.Fatal("the hold call's transaction has no consent as parent")
	}
	if tok, err := consent.ProviderToken(h.Sealer, h.Txn(*holdCall.Txn.ParentID)); err != nil || tok != theToken {
		t.Fatalf("the hold call cannot open the consent's token: %v", err)
	}

	h.Command(events.HoldCapture, captureData(holdID, "300"))
	h.Provider(onepipe, hold.OpCapture).Returns(lifecycle.Result{Outcome: lifecycle.OK, Code: "00", ProviderReference: "op-capture"})
	h.RunWork()
	captured := h.ExpectStatus(holdID, events.StatusCaptured)
	var c struct{ Amount string }
	if err := json.Unmarshal(captured.Details[hold.DetailCapture], &c); err != nil || c.Amount != "300.00" {
		t.Fatalf("capture detail %s, want 300.00", captured.Details[hold.DetailCapture])
	}
	if at, set := expiryTimer(h, t, holdID); set {
		t.Fatalf("the expiry timer is still set at %v after the capture", at)
	}
	h.ExpectEvents(holdID, "hold.pending", "hold.held", "hold.capturing", "hold.captured")
	h.ExpectCalls("onepipe/consent", "onepipe/validate", "onepipe/release", "onepipe/hold", "onepipe/capture")
	expectNoSecret(h, t, []uuid.UUID{consentID, holdID}, cardNumber, `"`+cardPIN+`"`, `"`+theOTP+`"`, theToken)
}

// TestBankAccountFlow: a bank account consent validated with a value
// (PendingValidation), a hold, released by the merchant.
func TestBankAccountFlow(t *testing.T) {
	h := setup(t)
	consentID := h.Command(events.ConsentCreate, consentData(bankAuth()))
	h.Provider(onepipe, consent.OpConsent).Returns(lifecycle.Result{Outcome: lifecycle.OK, Code: consent.CodePendingValidation, Message: "Enter the amount"})
	h.RunWork()
	h.ExpectStatus(consentID, events.StatusAwaitingValidation)
	h.Command(events.ConsentValidate, map[string]any{"transaction_id": consentID.String(), "value": "1.27"})
	h.Provider(onepipe, consent.OpValidate).Returns(grantedAnswer(h.Now().Add(time.Hour)))
	h.Provider(onepipe, hold.OpRelease).Returns(ok)
	h.RunWork()
	h.ExpectStatus(consentID, events.StatusGranted)

	holdID := h.Command(events.HoldCreate, holdData(consentID, "250.00"))
	h.Provider(onepipe, hold.OpHold).Returns(heldAnswer(h.Now().Add(24 * time.Hour)))
	h.RunWork()
	h.ExpectStatus(holdID, events.StatusHeld)
	h.Command(events.HoldRelease, onHold(holdID))
	h.ExpectStatus(holdID, events.StatusReleasing)
	h.Provider(onepipe, hold.OpRelease).Returns(ok)
	h.RunWork()
	h.ExpectStatus(holdID, events.StatusReleased)
	if at, set := expiryTimer(h, t, holdID); set {
		t.Fatalf("the expiry timer is still set at %v after the release", at)
	}
	h.ExpectEvents(holdID, "hold.pending", "hold.held", "hold.releasing", "hold.released")
	expectNoSecret(h, t, []uuid.UUID{consentID, holdID}, account, theToken)
}

// TestTokenExpiry: hold.create after the consent's token expired is
// rejected consent_expired on data.consent_id; before, it is accepted.
func TestTokenExpiry(t *testing.T) {
	h := setup(t)
	consentID := grantedConsent(h, time.Hour)
	before := h.Command(events.HoldCreate, holdData(consentID, "10.00"))
	h.ExpectStatus(before, events.StatusPending)
	h.Provider(onepipe, hold.OpHold).Returns(heldAnswer(h.Now().Add(24 * time.Hour)))
	h.RunWork()
	h.Advance(time.Hour)
	expectRejected(t, h.Rejected(events.HoldCreate, holdData(consentID, "10.00")), events.ReasonConsentExpired, "data.consent_id", "expired")
}

// TestConsentNotGranted: a hold of a consent still awaiting its OTP is
// invalid_state, naming the consent's status; of a transaction that is no
// consent, invalid_request; of none, not_found.
func TestConsentNotGranted(t *testing.T) {
	h := setup(t)
	consentID := h.Command(events.ConsentCreate, consentData(cardAuth()))
	h.Provider(onepipe, consent.OpConsent).Returns(waitingForOTP)
	h.RunWork()
	expectRejected(t, h.Rejected(events.HoldCreate, holdData(consentID, "10.00")), events.ReasonInvalidState, "data.consent_id", "awaiting_otp")
	_, holdID := heldHold(h, "10.00")
	expectRejected(t, h.Rejected(events.HoldCreate, holdData(holdID, "10.00")), events.ReasonInvalidRequest, "", "not a consent")
	expectRejected(t, h.Rejected(events.HoldCreate, holdData(uuid.New(), "10.00")), events.ReasonNotFound, "data.consent_id", "")
}

// TestHoldExpiry: a hold still held at hold_expires_at is released at the
// provider by its durable timer and becomes expired (reason hold_expired).
func TestHoldExpiry(t *testing.T) {
	h := setup(t)
	consentID := grantedConsent(h, 30*24*time.Hour)
	holdID := h.Command(events.HoldCreate, holdData(consentID, "80.00"))
	h.Provider(onepipe, hold.OpHold).Returns(heldAnswer(h.Now().Add(10 * time.Minute)))
	h.RunWork()
	h.Advance(10*time.Minute - time.Second)
	if n := h.FireTimers(); n != 0 {
		t.Fatalf("%d timers fired before the expiry", n)
	}
	h.Advance(time.Second)
	if n := h.FireTimers(); n != 1 {
		t.Fatalf("%d timers fired at the expiry, want 1", n)
	}
	h.ExpectStatus(holdID, events.StatusReleasing)
	h.Provider(onepipe, hold.OpRelease).Returns(ok)
	h.RunWork()
	e := h.ExpectStatus(holdID, events.StatusExpired)
	if e.Reason == nil || e.Reason.Code != events.ReasonHoldExpired {
		t.Fatalf("reason %+v, want hold_expired", e.Reason)
	}
	h.ExpectEvents(holdID, "hold.pending", "hold.held", "hold.releasing", "hold.expired")
	expectRejected(t, h.Rejected(events.HoldCapture, captureData(holdID, "")), events.ReasonInvalidState, "", "expired")
}

// TestCaptureMoreThanHeldRejected: capturing more than is held is rejected
// amount_exceeds_refundable; the hold stays held and all of it can still be
// captured (the default).
func TestCaptureMoreThanHeldRejected(t *testing.T) {
	h := setup(t)
	_, holdID := heldHold(h, "500.00")
	expectRejected(t, h.Rejected(events.HoldCapture, captureData(holdID, "500.01")), events.ReasonAmountExceedsRefund, "data.amount", "500")
	expectRejected(t, h.Rejected(events.HoldCapture, captureData(holdID, "1.001")), events.ReasonInvalidRequest, "data.amount", "decimal places")
	h.ExpectStatus(holdID, events.StatusHeld)
	h.Command(events.HoldCapture, captureData(holdID, ""))
	h.Provider(onepipe, hold.OpCapture).Returns(ok)
	h.RunWork()
	c := h.ExpectStatus(holdID, events.StatusCaptured)
	var got struct{ Amount string }
	if err := json.Unmarshal(c.Details[hold.DetailCapture], &got); err != nil || got.Amount != "500.00" {
		t.Fatalf("captured %s, want all 500.00", c.Details[hold.DetailCapture])
	}
}

// TestReleaseThenCapture and TestCaptureThenRelease: whichever of release
// and capture the engine takes first wins; the other is invalid_state.
func TestReleaseThenCapture(t *testing.T) {
	h := setup(t)
	_, holdID := heldHold(h, "50.00")
	h.Command(events.HoldRelease, onHold(holdID))
	expectRejected(t, h.Rejected(events.HoldCapture, captureData(holdID, "")), events.ReasonInvalidState, "", "releasing")
	h.Provider(onepipe, hold.OpRelease).Returns(ok)
	h.RunWork()
	h.ExpectStatus(holdID, events.StatusReleased)
	expectRejected(t, h.Rejected(events.HoldCapture, captureData(holdID, "")), events.ReasonInvalidState, "", "released")
}

func TestCaptureThenRelease(t *testing.T) {
	h := setup(t)
	_, holdID := heldHold(h, "50.00")
	h.Command(events.HoldCapture, captureData(holdID, "20"))
	expectRejected(t, h.Rejected(events.HoldRelease, onHold(holdID)), events.ReasonInvalidState, "", "capturing")
	h.Provider(onepipe, hold.OpCapture).Returns(ok)
	h.RunWork()
	h.ExpectStatus(holdID, events.StatusCaptured)
	expectRejected(t, h.Rejected(events.HoldRelease, onHold(holdID)), events.ReasonInvalidState, "", "captured")
}

// TestReleaseRacesCapture: a release and a capture sent at once: the
// hold's row lock orders them, exactly one is accepted and the other is
// invalid_state.
func TestReleaseRacesCapture(t *testing.T) {
	h := setup(t)
	_, holdID := heldHold(h, "50.00")
	cmds := []*events.Command{h.NewCommand(events.HoldRelease, onHold(holdID)), h.NewCommand(events.HoldCapture, captureData(holdID, ""))}
	outs := make([]engine.Outcome, len(cmds))
	errs := make([]error, len(cmds))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, cmd := range cmds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			outs[i], errs[i] = h.Handle(cmd)
		}()
	}
	close(start)
	wg.Wait()
	accepted := -1
	for i := range cmds {
		switch {
		case errs[i] != nil:
			t.Fatalf("%s failed: %v", cmds[i].Type, errs[i])
		case outs[i].Rejected == nil && accepted >= 0:
			t.Fatal("both release and capture were accepted")
		case outs[i].Rejected == nil:
			accepted = i
		case outs[i].Rejected.Code != events.ReasonInvalidState:
			t.Fatalf("%s rejected %+v, want invalid_state", cmds[i].Type, outs[i].Rejected)
		}
	}
	if accepted < 0 {
		t.Fatal("neither release nor capture was accepted")
	}
	op, status := hold.OpRelease, events.StatusReleased
	if cmds[accepted].Type == events.HoldCapture {
		op, status = hold.OpCapture, events.StatusCaptured
	}
	h.Provider(onepipe, op).Returns(ok)
	h.RunWork()
	h.ExpectStatus(holdID, status)
}

// TestLostHoldAnswer: the hold call's answer is lost; the retry timer's
// call recovers it by the operation's rule (query first), and the hold is
// held, with one hold call and its recovery only.
func TestLostHoldAnswer(t *testing.T) {
	h := setup(t)
	consentID := grantedConsent(h, 30*24*time.Hour)
	holdID := h.Command(events.HoldCreate, holdData(consentID, "75.00"))
	script := h.Provider(onepipe, hold.OpHold).Returns(unknown, heldAnswer(h.Now().Add(24*time.Hour)))
	h.RunWork()
	h.ExpectStatus(holdID, events.StatusPending)
	h.Advance(time.Second)
	if n := h.FireTimers(); n != 1 {
		t.Fatalf("%d timers fired, want the retry", n)
	}
	h.RunWork()
	calls := script.Calls()
	if len(calls) != 2 || calls[0].Recovering || !calls[1].Recovering || !calls[1].Work.Recover {
		t.Fatalf("hold calls %+v: want the call, then its recovery (query first)", calls)
	}
	h.ExpectStatus(holdID, events.StatusHeld)
	h.ExpectEvents(holdID, "hold.pending", "hold.held")
}

// TestLostCaptureAnswer: likewise for a capture.
func TestLostCaptureAnswer(t *testing.T) {
	h := setup(t)
	_, holdID := heldHold(h, "40.00")
	h.Command(events.HoldCapture, captureData(holdID, "10"))
	script := h.Provider(onepipe, hold.OpCapture).Returns(unknown, ok)
	h.RunWork()
	h.ExpectStatus(holdID, events.StatusCapturing)
	h.Advance(time.Second)
	h.FireTimers()
	h.RunWork()
	if calls := script.Calls(); len(calls) != 2 || !calls[1].Recovering {
		t.Fatalf("capture calls %+v: want the call, then its recovery", calls)
	}
	h.ExpectStatus(holdID, events.StatusCaptured)
}
