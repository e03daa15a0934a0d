package charge_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/lifecycle/lifecycletest"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/onoconn"
	"github.com/switchyard/switchyard/workers/provider"
)

const ono = events.ProviderOnoConnect

// setup returns a harness running the charge lifecycle, with the scripted
// ono//connect operations following the real connector's recovery rules.
func setup(t *testing.T) *lifecycletest.Harness {
	t.Parallel()
	h := lifecycletest.New(t, charge.New(charge.Policy{}))
	h.Rules(onoconn.New(connector.Deps{}, "http://unused.invalid", time.Second))
	return h
}

func create(h *lifecycletest.Harness, ref string) uuid.UUID {
	return h.Command(events.ChargeCreate, map[string]any{"provider": ono, "amount": "100.00", "currency": "ZAR", "reference": ref,
		"payment_method": json.RawMessage(`{"type":"card","card_number":"4111111111111111","cvv":"123"}`)})
}

func confirm(h *lifecycletest.Harness, id uuid.UUID) {
	h.Command(events.ChargeConfirm, map[string]any{"transaction_id": id.String()})
}

func ok(ref string) lifecycle.Result {
	return lifecycle.Result{Outcome: lifecycle.OK, ProviderReference: ref}
}

var notFound = lifecycle.Result{Outcome: lifecycle.NotFound, Message: "no such transaction"}

func TestApproveConfirmConfirmed(t *testing.T) {
	h := setup(t)
	id := create(h, "order-1")
	h.Provider(ono, charge.OpCharge).Returns(ok("p1"))
	h.RunWork()
	h.ExpectEvents(id, "charge.pending", "charge.authorized")

	confirm(h, id)
	h.Provider(ono, charge.OpConfirm).Returns(ok(""))
	h.RunWork()
	h.ExpectEvents(id, "charge.pending", "charge.authorized", "charge.confirming", "charge.confirmed")
	h.ExpectCalls("onoconnect/charge", "onoconnect/confirm")
	if c := h.Provider(ono, charge.OpConfirm).Calls()[0]; c.Txn.ProviderReference != "p1" {
		t.Fatalf("confirm called for provider reference %q, want p1", c.Txn.ProviderReference)
	}

	// The confirm deadline was cancelled with the confirm: nothing fires later.
	h.Advance(time.Hour)
	if n := h.FireTimers(); n != 0 {
		t.Fatalf("%d timers fired after the charge was confirmed", n)
	}
	h.RunWork()
	h.ExpectStatus(id, events.StatusConfirmed)
	h.ExpectCalls("onoconnect/charge", "onoconnect/confirm")
}

// TestUnknownChargeReversedByReferenceAfterAbsenceChecks: a charge whose
// outcome is unknown is never repeated; it is reversed by its reference,
// and "not found" concludes that it never landed only after the last of the
// absence checks, each made when its delay has passed.
func TestUnknownChargeReversedByReferenceAfterAbsenceChecks(t *testing.T) {
	h := setup(t)
	id := create(h, "order-2")
	h.Provider(ono, charge.OpCharge).Fails(&provider.Error{Kind: provider.KindUnknown, Provider: ono, Op: charge.OpCharge, Status: 504})
	reject := h.Provider(ono, charge.OpReject).Returns(notFound, notFound, notFound, notFound)
	h.RunWork()
	h.ExpectEvents(id, "charge.pending", "charge.reversing")
	if got := len(reject.Calls()); got != 1 {
		t.Fatalf("%d reversal calls right after the unknown charge, want 1", got)
	}

	for i, delay := range charge.DefaultAbsenceDelays {
		h.Advance(delay - time.Millisecond)
		h.FireTimers()
		h.RunWork()
		if got := len(reject.Calls()); got != i+1 {
			t.Fatalf("absence check %d made %v early (%d reversal calls)", i+2, time.Millisecond, got)
		}
		h.ExpectStatus(id, events.StatusReversing)
		h.Advance(time.Millisecond)
		h.FireTimers()
		h.RunWork()
		if got := len(reject.Calls()); got != i+2 {
			t.Fatalf("after %v: %d reversal calls, want %d", delay, got, i+2)
		}
	}
	tx := h.ExpectStatus(id, events.StatusReversed)
	if tx.Reason == nil || tx.Reason.Code != events.ReasonProviderTimeout {
		t.Fatalf("reason %+v, want %s", tx.Reason, events.ReasonProviderTimeout)
	}
	h.ExpectEvents(id, "charge.pending", "charge.reversing", "charge.reversed")
	h.ExpectCalls("onoconnect/charge", "onoconnect/reject", "onoconnect/reject", "onoconnect/reject", "onoconnect/reject")
	for i, c := range reject.Calls() {
		if !c.Work.ByReference {
			t.Fatalf("reversal %d not made by reference", i+1)
		}
	}
}

func TestConfirmDeadlineExpiryReverses(t *testing.T) {
	h := setup(t)
	id := create(h, "order-3")
	h.Provider(ono, charge.OpCharge).Returns(ok("p3"))
	h.RunWork()
	h.ExpectStatus(id, events.StatusAuthorized)

	h.Advance(15*time.Minute - time.Second)
	h.FireTimers()
	h.ExpectStatus(id, events.StatusAuthorized)

	h.Advance(time.Second)
	if n := h.FireTimers(); n != 1 {
		t.Fatalf("%d timers fired at the confirm deadline, want 1", n)
	}
	tx := h.ExpectStatus(id, events.StatusReversing)
	if tx.Reason == nil || tx.Reason.Code != events.ReasonConfirmDeadline {
		t.Fatalf("reason %+v, want %s", tx.Reason, events.ReasonConfirmDeadline)
	}
	reject := h.Provider(ono, charge.OpReject).Returns(ok(""))
	h.RunWork()
	h.ExpectEvents(id, "charge.pending", "charge.authorized", "charge.reversing", "charge.reversed")
	if c := reject.Calls(); len(c) != 1 || c[0].Work.ByReference || c[0].Txn.ProviderReference != "p3" {
		t.Fatalf("reversal calls %+v, want one by the provider's id p3", c)
	}
}

// TestConfirmRetryLaterRetriedByTimer: a 409 on confirm leaves the charge
// confirming, and the confirm is made again when its retry timer fires.
func TestConfirmRetryLaterRetriedByTimer(t *testing.T) {
	h := setup(t)
	id := create(h, "order-4")
	h.Provider(ono, charge.OpCharge).Returns(ok("p4"))
	h.RunWork()
	confirm(h, id)
	h.Provider(ono, charge.OpConfirm).
		Fails(&provider.Error{Kind: provider.KindRetryLater, Provider: ono, Op: charge.OpConfirm, Status: 409}).
		Returns(ok(""))
	h.RunWork()
	h.ExpectStatus(id, events.StatusConfirming)
	h.ExpectCalls("onoconnect/charge", "onoconnect/confirm")
	if want := h.Now().Add(time.Second); !h.NextTimer().Equal(want) {
		t.Fatalf("retry due at %v, want %v", h.NextTimer(), want)
	}

	h.Advance(time.Second)
	if n := h.FireTimers(); n != 1 {
		t.Fatalf("%d timers fired, want the retry", n)
	}
	h.RunWork()
	h.ExpectEvents(id, "charge.pending", "charge.authorized", "charge.confirming", "charge.confirmed")
	h.ExpectCalls("onoconnect/charge", "onoconnect/confirm", "onoconnect/confirm")
}

// TestRejectBeforeSentReversesWithoutCall: a charge rejected while its call
// is still queued is reversed without ever reaching the provider.
func TestRejectBeforeSentReversesWithoutCall(t *testing.T) {
	h := setup(t)
	id := create(h, "order-5")
	h.Provider(ono, charge.OpCharge) // declared, with no answer: a call would fail the test
	h.Command(events.ChargeReject, map[string]any{"reference": "order-5"})
	h.RunWork()
	tx := h.ExpectStatus(id, events.StatusReversed)
	if tx.Reason == nil || tx.Reason.Code != events.ReasonMerchantRejected {
		t.Fatalf("reason %+v, want %s", tx.Reason, events.ReasonMerchantRejected)
	}
	h.ExpectEvents(id, "charge.pending", "charge.reversed")
	h.ExpectCalls()
}
