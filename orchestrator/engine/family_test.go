package engine_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle/lifecycletest"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// setup returns a harness running the toy family, and a toy charge of 100.00.
func setup(t *testing.T) (*lifecycletest.Harness, uuid.UUID) {
	t.Parallel()
	h := lifecycletest.New(t, toyChargeLifecycle{}, toyRefundLifecycle{})
	return h, h.Command(toyChargeCreate, map[string]string{"amount": "100.00"})
}

func refundData(chargeID uuid.UUID, amount string, unchecked bool) toyRefundData {
	return toyRefundData{ChargeID: chargeID.String(), Amount: amount, Unchecked: unchecked}
}

func increaseData(refundID uuid.UUID, amount string, unchecked bool) toyRefundData {
	return toyRefundData{TransactionID: refundID.String(), Amount: amount, Unchecked: unchecked}
}

func expectRefunded(t *testing.T, parent *store.Txn, amount string, version int) {
	t.Helper()
	if !parent.RefundedAmount.Equal(decimal.RequireFromString(amount)) || parent.Version != version {
		t.Fatalf("parent refunded %s at version %d, want %s at version %d", parent.RefundedAmount, parent.Version, amount, version)
	}
}

// TestChildAndParentWrittenTogether: a child created under its parent, and
// a child's decision that changes its parent, write both in one commit: the
// parent's version moves with its refunded amount, and the parent's own
// event (its status moved) is caused by the child's command.
func TestChildAndParentWrittenTogether(t *testing.T) {
	h, chargeID := setup(t)

	refundID := h.Command(toyRefundCreate, refundData(chargeID, "40.00", false))
	refund := h.ExpectStatus(refundID, "refunded")
	if refund.ParentID == nil || *refund.ParentID != chargeID || !refund.Amount.Equal(decimal.RequireFromString("40")) {
		t.Fatalf("child: parent %v amount %s, want parent %s amount 40", refund.ParentID, refund.Amount, chargeID)
	}
	expectRefunded(t, h.ExpectStatus(chargeID, "captured"), "40", 2)
	h.ExpectEvents(chargeID, "toycharge.captured")
	h.ExpectEvents(refundID, "toyrefund.refunded")

	inc := h.NewCommand(toyIncrease, increaseData(refundID, "60.00", false))
	if out, err := h.Handle(inc); err != nil || out.Rejected != nil || out.TransactionID != refundID {
		t.Fatalf("increase: %+v %v", out, err)
	}
	expectRefunded(t, h.ExpectStatus(chargeID, "refunded"), "100", 3)
	if got := h.Txn(refundID).Version; got != 2 {
		t.Fatalf("child at version %d after the increase, want 2", got)
	}
	h.ExpectEvents(chargeID, "toycharge.captured", "toycharge.refunded")
	if evs := h.Events(chargeID); evs[1].CausationID != inc.ID {
		t.Fatalf("parent's event caused by %q, want the child's command %q", evs[1].CausationID, inc.ID)
	}
}

// TestChildBeyondAmountRefusedWhole: when the check constraint
// transactions_refunded_within_amount refuses the parent's update, the
// child's transition is refused with it: no child row, no command record,
// the parent as it was.
func TestChildBeyondAmountRefusedWhole(t *testing.T) {
	h, chargeID := setup(t)
	firstID := h.Command(toyRefundCreate, refundData(chargeID, "60.00", true))

	create := h.NewCommand(toyRefundCreate, refundData(chargeID, "50.00", true))
	out, err := h.Handle(create)
	expectRefused(t, out, err)
	if child := h.Txn(engine.TransactionID(h.Merchant, create.ID)); child != nil {
		t.Fatalf("refused child was written: %+v", child)
	}
	if _, err := h.Store.CommandGet(t.Context(), h.Merchant, create.ID); out.Rejected == nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("command of a failed transition recorded (%v): a retry would be answered as a duplicate", err)
	}
	expectRefunded(t, h.ExpectStatus(chargeID, "captured"), "60", 2)

	out, err = h.Handle(h.NewCommand(toyIncrease, increaseData(firstID, "40.01", true)))
	expectRefused(t, out, err)
	if got := h.Txn(firstID).Version; got != 1 {
		t.Fatalf("refused increase moved the child to version %d", got)
	}
	expectRefunded(t, h.ExpectStatus(chargeID, "captured"), "60", 2)
	h.ExpectEvents(chargeID, "toycharge.captured")
	h.ExpectEvents(firstID, "toyrefund.refunded")
}

// expectRefused: the check constraint refused the command, and the engine
// answered it as a rejection (amount_exceeds_refundable), not as an error
// that intake would retry in vain.
func expectRefused(t *testing.T, out engine.Outcome, err error) {
	t.Helper()
	switch {
	case err != nil:
		t.Fatalf("refused with an error (%v), want the rejection amount_exceeds_refundable", err)
	case out.Rejected == nil:
		t.Fatalf("a child refunding more than its parent's amount was accepted (transaction %s)", out.TransactionID)
	case out.Rejected.Code != events.ReasonAmountExceedsRefund:
		t.Fatalf("rejected %+v, want amount_exceeds_refundable", out.Rejected)
	}
}

// TestConcurrentChildrenSerialisedByParentLock: ten refunds of 30.00 of
// one 100.00 charge, at once. The parent is locked before each child is
// decided, so each sees the refunds before it: exactly three are accepted,
// seven rejected as exceeding the refundable amount, and none fails.
func TestConcurrentChildrenSerialisedByParentLock(t *testing.T) {
	h, chargeID := setup(t)
	const n = 10
	cmds := make([]*events.Command, n)
	for i := range cmds {
		cmds[i] = h.NewCommand(toyRefundCreate, refundData(chargeID, "30.00", false))
	}
	outs, errs := make([]engine.Outcome, n), make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range cmds {
		wg.Go(func() {
			<-start
			outs[i], errs[i] = h.Handle(cmds[i])
		})
	}
	close(start)
	wg.Wait()

	accepted, rejected := 0, 0
	for i := range outs {
		switch {
		case errs[i] != nil:
			t.Errorf("refund %d failed: %v", i, errs[i])
		case outs[i].Rejected == nil:
			accepted++
			h.ExpectStatus(outs[i].TransactionID, "refunded")
		case outs[i].Rejected.Code == events.ReasonAmountExceedsRefund:
			rejected++
		default:
			t.Errorf("refund %d rejected: %+v", i, outs[i].Rejected)
		}
	}
	if accepted != 3 || rejected != 7 {
		t.Fatalf("%d refunds accepted and %d rejected, want 3 and 7", accepted, rejected)
	}
	expectRefunded(t, h.Txn(chargeID), "90", 4)
}

// TestUnknownCommandType: a command no lifecycle takes is rejected as an
// invalid request naming the "type" field, and the rejection is recorded
// (a repeat is answered from it).
func TestUnknownCommandType(t *testing.T) {
	h, _ := setup(t)
	cmd := h.NewCommand("toyrefund.explode", map[string]string{})
	for i, wantDup := range []bool{false, true} {
		out, err := h.Handle(cmd)
		if err != nil {
			t.Fatal(err)
		}
		if r := out.Rejected; r == nil || r.Code != events.ReasonInvalidRequest || r.Field != "type" || out.Duplicate != wantDup {
			t.Fatalf("attempt %d: rejected %+v, duplicate %v; want invalid_request on field type, duplicate %v", i+1, r, out.Duplicate, wantDup)
		}
	}
}

// TestOtherMerchantsTransactionNotFound: a merchant cannot name another
// merchant's transaction, as a parent or as the target of a command; it is
// not_found, and nothing of the other merchant's changes.
func TestOtherMerchantsTransactionNotFound(t *testing.T) {
	h, chargeID := setup(t)
	refundID := h.Command(toyRefundCreate, refundData(chargeID, "10.00", false))
	other := h.NewMerchant(merchant.Spec{Name: "Other Shop"})

	for _, tc := range []struct {
		cmd   string
		data  toyRefundData
		field string
	}{
		{toyRefundCreate, refundData(chargeID, "10.00", false), "data.charge_id"},
		{toyIncrease, increaseData(refundID, "10.00", false), "data.transaction_id"},
	} {
		out, err := h.HandleAs(other, h.NewCommand(tc.cmd, tc.data))
		if err != nil {
			t.Fatalf("%s: %v", tc.cmd, err)
		}
		if r := out.Rejected; r == nil || r.Code != events.ReasonNotFound || r.Field != tc.field {
			t.Fatalf("%s by another merchant: %+v, want not_found on %s", tc.cmd, out.Rejected, tc.field)
		}
	}
	expectRefunded(t, h.Txn(chargeID), "10", 2)
	if got := h.Txn(refundID).Version; got != 1 {
		t.Fatalf("another merchant's command moved the refund to version %d", got)
	}
}

// TestRepeatedCommand: the same command id with the same data is answered
// with the first outcome and changes nothing; with other data it is an
// idempotency conflict.
func TestRepeatedCommand(t *testing.T) {
	h, chargeID := setup(t)
	cmd := h.NewCommand(toyRefundCreate, refundData(chargeID, "10.00", false))
	first, err := h.Handle(cmd)
	if err != nil || first.Rejected != nil {
		t.Fatalf("%+v %v", first, err)
	}
	again, err := h.Handle(cmd)
	if err != nil || !again.Duplicate || again.Rejected != nil || again.TransactionID != first.TransactionID {
		t.Fatalf("repeat: %+v %v, want a duplicate of %s", again, err, first.TransactionID)
	}
	expectRefunded(t, h.Txn(chargeID), "10", 2)

	changed := *cmd
	changed.Data = h.NewCommand(toyRefundCreate, refundData(chargeID, "20.00", false)).Data
	out, err := h.Handle(&changed)
	if err != nil || out.Rejected == nil || out.Rejected.Code != events.ReasonIdempotencyConflict {
		t.Fatalf("same id, other data: %+v %v, want idempotency_conflict", out, err)
	}
	expectRefunded(t, h.Txn(chargeID), "10", 2)
}
