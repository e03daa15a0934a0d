package codesconn

import (
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
	"github.com/switchyard/switchyard/workers/simulator"
)

// TestVerify: a payment's callback is believed when GET /code/{code}
// agrees with it, refused (not_confirmed, saying what disagrees) when it
// contradicts it, and asked again (Unknown) when there is no answer.
func TestVerify(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	paid := func(useOnce bool) (*events.CodePaymentData, string) {
		s := spec("10")
		s.UseOnce = useOnce
		txn := r.created(t, s)
		res, err := r.sim.Pay(t.Context(), paycodesim.PayRequest{Code: txn.ProviderReference})
		if err != nil {
			t.Fatal(err)
		}
		n := res.Notification
		return &events.CodePaymentData{Code: n.Code, MerchantReference: n.MerchantReference, ProviderPaymentID: n.TransactionID,
			Amount: n.Amount.StringFixed(2), Tip: n.Tip.StringFixed(2), Currency: n.Currency, PayerReference: n.RRN,
			PaidAt: time.UnixMilli(n.PaidAt).UTC(), CodeStatus: n.CodeStatus}, txn.ProviderReference
	}
	useOnce, _ := paid(true)
	reusable, _ := paid(false)
	unpaidTxn := r.created(t, spec("10"))
	unpaid := *useOnce
	unpaid.Code, unpaid.MerchantReference = unpaidTxn.ProviderReference, unpaidTxn.Reference
	otherRef := *useOnce
	otherRef.MerchantReference = "someone-else"
	unknown := *useOnce
	unknown.Code = "1234567890"
	malformed := *useOnce
	malformed.Code = "12"

	for _, tc := range []struct {
		name    string
		data    events.CodePaymentData
		fault   *simulator.Fault
		outcome lifecycle.Outcome
		code    string
		says    string
	}{
		{name: "use-once code, used", data: *useOnce, outcome: lifecycle.OK},
		{name: "reusable code, still active", data: *reusable, outcome: lifecycle.OK},
		{name: "use-once code not used", data: unpaid, outcome: lifecycle.Declined, code: CodeNotConfirmed, says: "not used"},
		{name: "another merchant reference", data: otherRef, outcome: lifecycle.Declined, code: CodeNotConfirmed, says: "merchant reference"},
		{name: "unknown code", data: unknown, outcome: lifecycle.Declined, code: CodeNotConfirmed, says: "does not know code"},
		{name: "malformed code", data: malformed, outcome: lifecycle.Declined, code: CodeNotConfirmed, says: "does not know code"},
		{name: "503", data: *useOnce, fault: &simulator.Fault{Path: "/code/", Status: 503}, outcome: lifecycle.Unknown, code: "503"},
		{name: "512", data: *useOnce, fault: &simulator.Fault{Path: "/code/", Status: 512}, outcome: lifecycle.Unknown, code: "512"},
		{name: "time-out", data: *useOnce, fault: &simulator.Fault{Path: "/code/", Lose: true}, outcome: lifecycle.Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fault != nil {
				r.sim.Harness().Arm(*tc.fault)
			}
			res := r.call(t, OpVerify, r.paymentTxn(tc.data))
			want(t, tc.name, res, tc.outcome, tc.code)
			if !strings.Contains(res.Message, tc.says) {
				t.Fatalf("message %q, want it to say %q", res.Message, tc.says)
			}
		})
	}
}
