package processoneconn

import (
	"testing"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/processone"
	"github.com/switchyard/switchyard/workers/processone/processonesim"
	"github.com/switchyard/switchyard/workers/simulator"
)

// TestRecoverLostAnswer: ProcessOne acts on the call and its answer is
// lost (the connection drops). The call is unknown; Recover finds it by
// CallbackId and answers what happened, with ProcessOne's TransactionId,
// and makes no second call. A blind repeat of the call is refused as
// DuplicateTransaction and answered by the same query, never as a decline.
func TestRecoverLostAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		op, path string
	}{
		{OpCharge, "/api/CreditCard/Charge"},
		{OpVoid, "/api/CreditCard/Void"},
		{OpRefund, "/api/CreditCard/Refund"},
	} {
		t.Run(tc.op, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, processonesim.Options{})
			txn := r.chargeTxn("42.10", card("4111111111111111"), "")
			if tc.op != OpCharge {
				txn = r.refundTxn(r.approvedCharge(t, "42.10", card("4111111111111111")), "42.10")
				if tc.op == OpRefund {
					r.sim.CloseBatch()
				}
			}
			r.sim.Harness().Arm(simulator.Fault{Path: tc.path, Drop: true})
			res := r.call(t, tc.op, txn, false)
			want(t, "lost answer", res, lifecycle.Unknown, "")
			held := r.byCallback(t, txn, tc.op)
			if held.TransactionStatus != processone.StatusSuccessful {
				t.Fatalf("ProcessOne holds %+v", held)
			}
			res = r.call(t, tc.op, txn, true)
			want(t, "recover", res, lifecycle.OK, "")
			if res.ProviderReference != held.TransactionID {
				t.Fatalf("recovered %s, ProcessOne holds %s", res.ProviderReference, held.TransactionID)
			}
			if n := r.count(tc.path); n != 1 {
				t.Fatalf("%d requests to %s, want the lost one only", n, tc.path)
			}
			res = r.call(t, tc.op, txn, false)
			want(t, "blind repeat", res, lifecycle.OK, "")
			if res.ProviderReference != held.TransactionID {
				t.Fatalf("repeat answered %s, ProcessOne holds %s", res.ProviderReference, held.TransactionID)
			}
			if n := r.count(tc.path); n != 2 {
				t.Fatalf("%d requests to %s", n, tc.path)
			}
		})
	}
}

// TestRecoverNeverSent: the earlier attempt never reached ProcessOne (it
// was recorded as sent, then its worker died before the request left).
// Recover's query finds nothing under the
// CallbackId and makes the call, once, with the same CallbackId.
func TestRecoverNeverSent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		op, path string
	}{
		{OpCharge, "/api/Eft/Debit"},
		{OpVoid, "/api/Eft/Void"},
	} {
		t.Run(tc.op, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, processonesim.Options{})
			txn := r.chargeTxn("30.00", bank("123456789"), "")
			if tc.op != OpCharge {
				txn = r.refundTxn(r.approvedCharge(t, "30.00", bank("123456789")), "30.00")
			}
			res := r.call(t, tc.op, txn, true)
			want(t, "recover of a call never sent", res, lifecycle.OK, "")
			if n := r.count(tc.path); n != 1 {
				t.Fatalf("%d requests to %s, want 1", n, tc.path)
			}
			if got := r.byCallback(t, txn, tc.op).TransactionID; got != res.ProviderReference {
				t.Fatalf("made %s, ProcessOne holds %s under the CallbackId", res.ProviderReference, got)
			}
			res = r.call(t, tc.op, txn, true)
			want(t, "second recover", res, lifecycle.OK, "")
			if n := r.count(tc.path); n != 1 {
				t.Fatalf("%d requests to %s after a second recover, want 1", n, tc.path)
			}
		})
	}
}

// TestRecoverQueryFails: when the query itself gets no answer, what
// happened stays unknown and nothing is called.
func TestRecoverQueryFails(t *testing.T) {
	t.Parallel()
	r := newRig(t, processonesim.Options{})
	txn := r.chargeTxn("30.00", card("4111111111111111"), "")
	r.sim.Harness().Arm(simulator.Fault{Path: "/api/Transaction/GetTransactionByCallbackId", Status: 503})
	want(t, "recover with the query down", r.call(t, OpCharge, txn, true), lifecycle.Unknown, "")
	if n := r.count("/api/CreditCard/Charge"); n != 0 {
		t.Fatalf("%d charges made without an answer to the query", n)
	}
}
