package refund_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/refund"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// TestCreateRejected: a refused refund.create is command.rejected with the
// right code and field, and leaves nothing behind: no refund row, the
// charge as it was (version, reservation).
func TestCreateRejected(t *testing.T) {
	h := setup(t, refund.Policy{})
	settled := newCharge(h, t, p1, events.StatusSettled, "30")
	confirmed := newCharge(h, t, ono, events.StatusConfirmed, "0")
	declined := newCharge(h, t, p1, events.StatusDeclined, "0")
	authorized := newCharge(h, t, ono, events.StatusAuthorized, "0")
	create(h, settled, "20") // 50 left
	h.Provider(p1, refund.OpRefund).Returns(ok("r1"))
	h.RunWork()
	held2 := create(h, settled, "20") // 30 left, 20 reserved

	for _, tc := range []struct {
		name             string
		data             map[string]any
		code, field, msg string
		charge           uuid.UUID
	}{
		{"more than is left", refundData(settled, "30.01"), events.ReasonAmountExceedsRefund, "data.amount", "30.00 ZAR", settled},
		{"too many decimals", refundData(settled, "1.001"), events.ReasonInvalidRequest, "data.amount", "decimal places", settled},
		{"zero", refundData(settled, "0"), events.ReasonInvalidRequest, "data.amount", "", settled},
		{"another currency", withCurrency(refundData(settled, "1"), "USD"), events.ReasonInvalidRequest, "data.currency", "ZAR", settled},
		{"a refund of a refund", refundData(held2, "1"), events.ReasonInvalidRequest, "data.transaction_id", "not a charge", settled},
		{"no such charge", refundData(uuid.New(), "1"), events.ReasonNotFound, "data.transaction_id", "", settled},
		{"declined charge", refundData(declined, ""), events.ReasonInvalidState, "data.transaction_id", "declined", declined},
		{"confirmed ono//connect charge", refundData(confirmed, ""), events.ReasonUnsupportedByProvider, "data.transaction_id", "another way", confirmed},
		{"partial release", refundData(authorized, "99.99"), events.ReasonUnsupportedByProvider, "data.transaction_id", "in full", authorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.Txn(tc.charge)
			cmd := h.NewCommand(events.RefundCreate, tc.data)
			out, err := h.Handle(cmd)
			if err != nil || out.Rejected == nil {
				t.Fatalf("outcome %+v, err %v: want a rejection", out, err)
			}
			if r := out.Rejected; r.Code != tc.code || r.Field != tc.field || !strings.Contains(r.Message, tc.msg) {
				t.Fatalf("rejected %+v, want %s on %s saying %q", r, tc.code, tc.field, tc.msg)
			}
			if _, err := h.Store.TransactionGet(t.Context(), h.Merchant, engine.TransactionID(h.Merchant, cmd.ID)); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a rejected refund was written (%v)", err)
			}
			after := h.Txn(tc.charge)
			if after.Version != before.Version || after.Status != before.Status || !after.ReservedAmount.Equal(before.ReservedAmount) ||
				!after.RefundedAmount.Equal(before.RefundedAmount) {
				t.Fatalf("the charge moved: %+v → %+v", before, after)
			}
		})
	}
}

func withCurrency(d map[string]any, c string) map[string]any {
	d["currency"] = c
	return d
}
