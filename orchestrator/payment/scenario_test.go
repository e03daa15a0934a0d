package payment_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/code"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/lifecycle/lifecycletest"
	"github.com/switchyard/switchyard/orchestrator/payment"
	"github.com/switchyard/switchyard/orchestrator/store"
)

const codes = events.ProviderCodes

var ok = lifecycle.Result{Outcome: lifecycle.OK}

func setup(t *testing.T) *lifecycletest.Harness {
	t.Parallel()
	return lifecycletest.New(t, code.New(), payment.New())
}

// activeCode creates code reference ref (use_once as given) and answers
// its create.
func activeCode(h *lifecycletest.Harness, ref string, useOnce bool) uuid.UUID {
	id := h.Command(events.CodeCreate, map[string]any{"amount": "10.50", "currency": "ZAR", "reference": ref,
		"short_description": "Basket of Goods", "use_once": useOnce})
	h.Provider(codes, code.OpCreate).Returns(lifecycle.Result{Outcome: lifecycle.OK, ProviderReference: "8227541409"})
	h.RunWork()
	h.ExpectStatus(id, events.StatusActive)
	return id
}

// callback is the command the callback route makes of the provider's
// payment notification: its id derived from the merchant and the
// provider's payment id.
func callback(h *lifecycletest.Harness, ref, paymentID string) *events.Command {
	d := events.CodePaymentData{Code: "8227541409", MerchantReference: ref, ProviderPaymentID: paymentID, Amount: "10.50", Tip: "1.00",
		Currency: "ZAR", PayerReference: "000000000001", PaidAt: h.Now().Add(-time.Second), CodeStatus: "USED"}
	cmd := h.NewCommand(events.PaymentRecord, d)
	cmd.ID = uuid.NewSHA1(h.Merchant, []byte("codes-payment:"+paymentID)).String()
	return cmd
}

func record(t *testing.T, h *lifecycletest.Harness, cmd *events.Command) engine.Outcome {
	t.Helper()
	out, err := h.Engine.HandleProviderCommand(t.Context(), h.Merchant, cmd)
	if err != nil || out.Rejected != nil {
		t.Fatalf("payment.record: %+v %v", out.Rejected, err)
	}
	return out
}

// detail reads event ev's data.detail.
func detail(t *testing.T, ev store.Event) map[string]string {
	t.Helper()
	var env events.Event
	if err := json.Unmarshal(ev.Envelope, &env); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	if err := json.Unmarshal(env.Data.Detail, &out); err != nil {
		t.Fatalf("detail %s: %v", env.Data.Detail, err)
	}
	return out
}

// TestPaymentOnActiveUseOnceCode: a believed payment succeeds, its code
// emits code.paid with the amount, tip and payer reference and becomes
// used; the same callback delivered again counts once; the expiry timer of
// the used code is ignored when it fires.
func TestPaymentOnActiveUseOnceCode(t *testing.T) {
	h := setup(t)
	codeID := activeCode(h, "order-1", true)
	cmd := callback(h, "order-1", "pay-1")
	out := record(t, h, cmd)
	pay := h.ExpectStatus(out.TransactionID, events.StatusPending)
	if pay.ParentID == nil || *pay.ParentID != codeID {
		t.Fatalf("payment's parent %v, want the code %s", pay.ParentID, codeID)
	}
	h.Provider(codes, payment.OpVerify).Returns(ok)
	h.RunWork()
	h.ExpectStatus(out.TransactionID, events.StatusSucceeded)
	h.ExpectStatus(codeID, events.StatusUsed)
	h.ExpectEvents(codeID, "code.pending", "code.active", "code.paid", "code.used")
	d := detail(t, h.Events(codeID)[2])
	if d["payment_id"] != out.TransactionID.String() || d["amount"] != "10.50" || d["tip"] != "1.00" || d["currency"] != "ZAR" ||
		d["payer_reference"] != "000000000001" || d["provider_payment_id"] != "pay-1" || d["paid_at"] == "" {
		t.Fatalf("code.paid detail %v", d)
	}

	again, err := h.Engine.HandleProviderCommand(t.Context(), h.Merchant, cmd)
	if err != nil || !again.Duplicate || again.TransactionID != out.TransactionID {
		t.Fatalf("the callback again: %+v %v, want a duplicate of %s", again, err, out.TransactionID)
	}
	h.RunWork()
	h.ExpectEvents(codeID, "code.pending", "code.active", "code.paid", "code.used")
	h.ExpectCalls("codes/create", "codes/verify")

	h.Advance(time.Hour)
	h.FireTimers()
	h.ExpectStatus(codeID, events.StatusUsed)
}

// TestPaymentOnReusableCode: a code that is not use_once takes payment
// after payment and stays active.
func TestPaymentOnReusableCode(t *testing.T) {
	h := setup(t)
	codeID := activeCode(h, "order-1", false)
	for _, id := range []string{"pay-1", "pay-2"} {
		out := record(t, h, callback(h, "order-1", id))
		h.Provider(codes, payment.OpVerify).Returns(ok)
		h.RunWork()
		h.ExpectStatus(out.TransactionID, events.StatusSucceeded)
	}
	h.ExpectStatus(codeID, events.StatusActive)
	h.ExpectEvents(codeID, "code.pending", "code.active", "code.paid", "code.paid")
}

// TestPaymentOnCodeNotActive: a payment on an expired or a blocked code is
// recorded, unexpected, and flagged on the code (code.payment_unexpected
// with the code's status); the code stays as it was.
func TestPaymentOnCodeNotActive(t *testing.T) {
	h := setup(t)
	expired := activeCode(h, "order-1", true)
	h.Advance(30 * time.Minute)
	h.FireTimers()
	h.ExpectStatus(expired, events.StatusExpired)
	blocked := activeCode(h, "order-2", true)
	h.Command(events.CodeBlock, map[string]any{"transaction_id": blocked.String()})
	h.Provider(codes, code.OpBlock).Returns(ok)
	h.RunWork()
	h.ExpectStatus(blocked, events.StatusBlocked)

	for _, tc := range []struct {
		codeID uuid.UUID
		ref    string
		status string
	}{{expired, "order-1", events.StatusExpired}, {blocked, "order-2", events.StatusBlocked}} {
		out := record(t, h, callback(h, tc.ref, "pay-"+tc.ref))
		h.Provider(codes, payment.OpVerify).Returns(ok)
		h.RunWork()
		pay := h.ExpectStatus(out.TransactionID, events.StatusUnexpected)
		if pay.Reason == nil || pay.Reason.Code != events.ReasonPaymentUnexpected || !bytes.Contains([]byte(pay.Reason.Message), []byte(tc.status)) {
			t.Fatalf("payment on a %s code: reason %+v", tc.status, pay.Reason)
		}
		h.ExpectStatus(tc.codeID, tc.status)
		evs := h.Events(tc.codeID)
		last := evs[len(evs)-1]
		if last.Type != "code.payment_unexpected" || detail(t, last)["code_status"] != tc.status || detail(t, last)["payment_id"] != out.TransactionID.String() {
			t.Fatalf("last event of the %s code: %s %v", tc.status, last.Type, detail(t, last))
		}
	}
}

// TestPaymentForUnknownCode: a callback naming no code of the merchant is
// still recorded, without a parent, unexpected.
func TestPaymentForUnknownCode(t *testing.T) {
	h := setup(t)
	out := record(t, h, callback(h, "nobody", "pay-1"))
	h.Provider(codes, payment.OpVerify).Returns(ok)
	h.RunWork()
	pay := h.ExpectStatus(out.TransactionID, events.StatusUnexpected)
	if pay.ParentID != nil || pay.Reason == nil || pay.Reason.Code != events.ReasonPaymentUnexpected {
		t.Fatalf("payment for no code: parent %v reason %+v", pay.ParentID, pay.Reason)
	}
	if d, err := payment.Data(pay); err != nil || d.ProviderPaymentID != "pay-1" || d.MerchantReference != "nobody" {
		t.Fatalf("Data: %+v %v", d, err)
	}
}

// TestPaymentNotConfirmed: a payment the provider's record contradicts is
// unconfirmed and flagged; the code stays active.
func TestPaymentNotConfirmed(t *testing.T) {
	h := setup(t)
	codeID := activeCode(h, "order-1", true)
	out := record(t, h, callback(h, "order-1", "pay-1"))
	h.Provider(codes, payment.OpVerify).Returns(lifecycle.Result{Outcome: lifecycle.Declined, Code: "not_confirmed", Message: "the code is not used"})
	h.RunWork()
	pay := h.ExpectStatus(out.TransactionID, events.StatusUnconfirmed)
	if pay.Reason == nil || pay.Reason.Code != events.ReasonNotConfirmed || pay.Reason.Message != "the code is not used" {
		t.Fatalf("reason %+v", pay.Reason)
	}
	h.ExpectStatus(codeID, events.StatusActive)
	h.ExpectEvents(codeID, "code.pending", "code.active", "code.payment_unexpected")
}

// TestPaymentRecordNotFromMerchants: payment.record sent by a merchant is
// refused (invalid_request on type) and records nothing.
func TestPaymentRecordNotFromMerchants(t *testing.T) {
	h := setup(t)
	codeID := activeCode(h, "order-1", true)
	out, err := h.Handle(callback(h, "order-1", "pay-1"))
	if err != nil || out.Rejected == nil || out.Rejected.Code != events.ReasonInvalidRequest || out.Rejected.Field != "type" {
		t.Fatalf("payment.record from a merchant: %+v %v", out.Rejected, err)
	}
	h.ExpectStatus(codeID, events.StatusActive)
	h.ExpectEvents(codeID, "code.pending", "code.active")
}
