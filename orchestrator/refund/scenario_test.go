package refund_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/refund"
)

// TestFullRefundOfOpenSaleIsVoided: all of a sale whose batch is open goes
// back by a void; the charge is voided, its refunded amount moved in the
// same commit as the refund's success.
func TestFullRefundOfOpenSaleIsVoided(t *testing.T) {
	h := setup(t, refund.Policy{})
	chargeID := newCharge(h, t, p1, events.StatusSucceeded, "0")
	id := create(h, chargeID, "")
	r := expectRefund(h, t, id, events.StatusVoiding, events.MethodVoid)
	if r.ParentID == nil || *r.ParentID != chargeID || r.Provider != p1 || r.Currency != "ZAR" || !r.Amount.Equal(dec("100")) ||
		r.Metadata["ticket"] != "T-1" {
		t.Fatalf("refund %+v: want a child of %s, processone, 100 ZAR, with its metadata", r, chargeID)
	}
	expectCharge(h, t, chargeID, events.StatusSucceeded, "0", "100")

	void := h.Provider(p1, refund.OpVoid).Returns(ok("v1"))
	h.RunWork()
	r = expectRefund(h, t, id, events.StatusSucceeded, events.MethodVoid)
	if r.ProviderReference != "v1" {
		t.Fatalf("refund's provider reference %q, want v1", r.ProviderReference)
	}
	c := expectCharge(h, t, chargeID, events.StatusVoided, "100", "0")
	if calls := void.Calls(); len(calls) != 1 || calls[0].Txn.ID != id || calls[0].Recovering {
		t.Fatalf("void calls %+v: want one, for the refund", calls)
	}
	h.ExpectEvents(id, "refund.voiding", "refund.succeeded")
	h.ExpectEvents(chargeID, "charge.voided")
	// The charge's event and the refund's success are one commit: same
	// moment, the charge's event caused by the refund's command.
	if evs := h.Events(chargeID); !c.UpdatedAt.Equal(r.UpdatedAt) || evs[0].CausationID != h.Events(id)[0].CausationID {
		t.Fatalf("charge updated at %v by %q, refund at %v by %q", c.UpdatedAt, evs[0].CausationID, r.UpdatedAt, h.Events(id)[0].CausationID)
	}
	h.ExpectCalls("processone/void")
}

// TestPartialRefundDeferredUntilSettled: a partial refund of an unsettled
// sale waits (deferred, no call) until its batch settles; "all that is
// refundable" then means what the deferred one left. Both are refunded when
// the charge settles.
func TestPartialRefundDeferredUntilSettled(t *testing.T) {
	h := setup(t, refund.Policy{})
	chargeID := newCharge(h, t, p1, events.StatusSucceeded, "0")
	first := create(h, chargeID, "40.00")
	rest := create(h, chargeID, "")
	expectRefund(h, t, first, events.StatusDeferred, events.MethodRefund)
	r := expectRefund(h, t, rest, events.StatusDeferred, events.MethodRefund)
	if !r.Amount.Equal(dec("60")) {
		t.Fatalf("the rest is %s, want 60", r.Amount)
	}
	expectCharge(h, t, chargeID, events.StatusSucceeded, "0", "100")
	h.Provider(p1, refund.OpRefund) // declared, with no answer: a call now would fail the test
	h.RunWork()
	h.ExpectCalls()

	// Not settled yet: a notice changes nothing.
	if err := h.Engine.Apply(t.Context(), h.Merchant, first, lifecycle.ParentSettled{}); err != nil {
		t.Fatal(err)
	}
	expectRefund(h, t, first, events.StatusDeferred, events.MethodRefund)

	setStatus(h, t, chargeID, events.StatusSettled)
	h.Provider(p1, refund.OpRefund).Returns(ok("r1"), ok("r2"))
	apply := func(id uuid.UUID) {
		t.Helper()
		if err := h.Engine.Apply(t.Context(), h.Merchant, id, lifecycle.ParentSettled{}); err != nil {
			t.Fatal(err)
		}
	}
	apply(first)
	expectRefund(h, t, first, events.StatusRefunding, events.MethodRefund)
	h.RunWork()
	expectCharge(h, t, chargeID, events.StatusPartiallyRefunded, "40", "60")
	apply(rest)
	h.RunWork()
	expectRefund(h, t, first, events.StatusSucceeded, events.MethodRefund)
	expectRefund(h, t, rest, events.StatusSucceeded, events.MethodRefund)
	expectCharge(h, t, chargeID, events.StatusRefunded, "100", "0")
	h.ExpectEvents(first, "refund.deferred", "refund.refunding", "refund.succeeded")
	h.ExpectEvents(chargeID, "charge.partially_refunded", "charge.refunded")
	h.ExpectCalls("processone/refund", "processone/refund")
}

// TestBatchClosedOnVoidRefunds: a void refused with BatchHasBeenClosed
// means the sale settled; the charge is settled and the refund made.
func TestBatchClosedOnVoidRefunds(t *testing.T) {
	h := setup(t, refund.Policy{})
	chargeID := newCharge(h, t, p1, events.StatusSucceeded, "0")
	id := create(h, chargeID, "")
	h.Provider(p1, refund.OpVoid).Returns(batchClosed)
	h.Provider(p1, refund.OpRefund).Returns(ok("r1"))
	h.RunWork()
	expectRefund(h, t, id, events.StatusSucceeded, events.MethodRefund)
	expectCharge(h, t, chargeID, events.StatusRefunded, "100", "0")
	h.ExpectEvents(id, "refund.voiding", "refund.refunding", "refund.succeeded")
	h.ExpectEvents(chargeID, "charge.settled", "charge.refunded")
	h.ExpectCalls("processone/void", "processone/refund")
}

// TestBatchOpenOnRefund: a refund refused with BatchHasNotBeenClosed means
// the sale is not settled: the charge goes back to succeeded, a full refund
// is voided and a partial one deferred.
func TestBatchOpenOnRefund(t *testing.T) {
	t.Run("full: void", func(t *testing.T) {
		h := setup(t, refund.Policy{})
		chargeID := newCharge(h, t, p1, events.StatusSettled, "0")
		id := create(h, chargeID, "100.00")
		h.Provider(p1, refund.OpRefund).Returns(batchOpen)
		h.Provider(p1, refund.OpVoid).Returns(ok("v1"))
		h.RunWork()
		expectRefund(h, t, id, events.StatusSucceeded, events.MethodVoid)
		expectCharge(h, t, chargeID, events.StatusVoided, "100", "0")
		h.ExpectEvents(id, "refund.refunding", "refund.voiding", "refund.succeeded")
		h.ExpectEvents(chargeID, "charge.succeeded", "charge.voided")
		h.ExpectCalls("processone/refund", "processone/void")
	})
	t.Run("partial: deferred", func(t *testing.T) {
		h := setup(t, refund.Policy{})
		chargeID := newCharge(h, t, p1, events.StatusSettled, "0")
		id := create(h, chargeID, "25.50")
		h.Provider(p1, refund.OpRefund).Returns(batchOpen)
		h.RunWork()
		expectRefund(h, t, id, events.StatusDeferred, events.MethodRefund)
		expectCharge(h, t, chargeID, events.StatusSucceeded, "0", "25.50")
		h.ExpectEvents(id, "refund.refunding", "refund.deferred")
		h.ExpectEvents(chargeID, "charge.succeeded")
	})
}

// TestDeclinedRefundReleasesReservation: a refused refund fails with the
// provider's code and gives its amount back to what is refundable.
func TestDeclinedRefundReleasesReservation(t *testing.T) {
	h := setup(t, refund.Policy{})
	chargeID := newCharge(h, t, p1, events.StatusSettled, "0")
	id := create(h, chargeID, "40")
	expectCharge(h, t, chargeID, events.StatusSettled, "0", "40")
	h.Provider(p1, refund.OpRefund).Returns(lifecycle.Result{Outcome: lifecycle.Declined, Code: "Declined", Message: "refused"})
	h.RunWork()
	r := expectRefund(h, t, id, events.StatusFailed, events.MethodRefund)
	if r.Reason == nil || r.Reason.Code != events.ReasonProviderDeclined || r.Reason.ProviderCode != "Declined" {
		t.Fatalf("reason %+v, want provider_declined with the provider's code", r.Reason)
	}
	expectCharge(h, t, chargeID, events.StatusSettled, "0", "0")
	h.ExpectEvents(chargeID) // the charge's status never moved

	again := create(h, chargeID, "")
	if r := h.Txn(again); !r.Amount.Equal(dec("100")) {
		t.Fatalf("after the release the whole charge is refundable; got a refund of %s", r.Amount)
	}
	expectCharge(h, t, chargeID, events.StatusSettled, "0", "100")
	h.Provider(p1, refund.OpRefund).Returns(ok("r2"))
	h.RunWork()
}

// TestUnknownVoidQueriedBeforeRetry: a void whose outcome is unknown is
// retried on a durable timer, and the retry asks the provider first (the
// connector's query-first recovery) instead of voiding blindly.
func TestUnknownVoidQueriedBeforeRetry(t *testing.T) {
	h := setup(t, refund.Policy{})
	chargeID := newCharge(h, t, p1, events.StatusSucceeded, "0")
	id := create(h, chargeID, "")
	void := h.Provider(p1, refund.OpVoid).Returns(unknown, ok("v1"))
	h.RunWork()
	expectRefund(h, t, id, events.StatusVoiding, events.MethodVoid)
	if want := h.Now().Add(time.Second); !h.NextTimer().Equal(want) {
		t.Fatalf("retry due at %v, want %v", h.NextTimer(), want)
	}
	h.Advance(time.Second - time.Millisecond)
	h.FireTimers()
	h.RunWork()
	if n := len(void.Calls()); n != 1 {
		t.Fatalf("%d void calls before the back-off passed", n)
	}
	h.Advance(time.Millisecond)
	if n := h.FireTimers(); n != 1 {
		t.Fatalf("%d timers fired, want the retry", n)
	}
	h.RunWork()
	calls := void.Calls()
	if len(calls) != 2 || calls[0].Recovering || !calls[1].Recovering || !calls[1].Work.Recover {
		t.Fatalf("void calls %+v: want the call, then a recovery (query first)", calls)
	}
	expectRefund(h, t, id, events.StatusSucceeded, events.MethodVoid)
	expectCharge(h, t, chargeID, events.StatusVoided, "100", "0")
}

// TestRetriesExhaustedKeepsReservation: after the retry window a refund
// with no answer fails retries_exhausted, and its amount stays reserved:
// it may have been refunded, so it cannot be refunded again.
func TestRetriesExhaustedKeepsReservation(t *testing.T) {
	h := setup(t, refund.Policy{RetryWindow: 2 * time.Second})
	chargeID := newCharge(h, t, p1, events.StatusSettled, "0")
	id := create(h, chargeID, "30")
	h.Provider(p1, refund.OpRefund).Returns(unknown, unknown, unknown)
	h.RunWork()
	for _, d := range []time.Duration{time.Second, 2 * time.Second} {
		h.Advance(d)
		h.FireTimers()
		h.RunWork()
	}
	r := expectRefund(h, t, id, events.StatusFailed, events.MethodRefund)
	if r.Reason == nil || r.Reason.Code != events.ReasonRetriesExhausted {
		t.Fatalf("reason %+v, want retries_exhausted", r.Reason)
	}
	expectCharge(h, t, chargeID, events.StatusSettled, "0", "30")
	if reason := h.Rejected(events.RefundCreate, refundData(chargeID, "70.01")); reason.Code != events.ReasonAmountExceedsRefund {
		t.Fatalf("rejected %+v, want amount_exceeds_refundable", reason)
	}
}

// TestAuthorizedChargeReleasedInFull: a refund of a charge not yet
// confirmed releases it (the provider's reject), in full only.
func TestAuthorizedChargeReleasedInFull(t *testing.T) {
	h := setup(t, refund.Policy{})
	chargeID := newCharge(h, t, ono, events.StatusAuthorized, "0")
	reason := h.Rejected(events.RefundCreate, refundData(chargeID, "10"))
	if reason.Code != events.ReasonUnsupportedByProvider {
		t.Fatalf("partial release rejected %+v, want unsupported_by_provider", reason)
	}
	id := create(h, chargeID, "")
	h.Provider(ono, refund.OpVoid).Returns(ok(""))
	h.RunWork()
	expectRefund(h, t, id, events.StatusSucceeded, events.MethodVoid)
	expectCharge(h, t, chargeID, events.StatusVoided, "100", "0")
	h.ExpectCalls("onoconnect/void")
}
