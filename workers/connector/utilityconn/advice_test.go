package utilityconn

import (
	"encoding/json"
	"net"
	"testing"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/simulator"
	"github.com/switchyard/switchyard/workers/utility"
	"github.com/switchyard/switchyard/workers/utility/utilitysim"
)

// purchased is a purchase the simulator has vended.
func (r *rig) purchased(t *testing.T) *store.Txn {
	t.Helper()
	txn := r.purchaseTxn(t, "01000000000", "50.00")
	res, _ := r.call(t, OpPurchase, txn, false)
	want(t, "purchase", res, lifecycle.OK, "")
	return txn
}

// advicePath is the path suffix of txn's advice op.
func advicePath(txn *store.Txn, op string) string {
	kind := "/confirmations/"
	if op == OpReverse {
		kind = "/reversals/"
	}
	return kind + AdviceID(txn, op).String()
}

// TestAdviceRepeatsUntilFinal: an advice answered 503 (or not at all) is
// RetryLater, and its repeat, with the same advice id, is OK (202); the
// same advice again is 202 again, counted once by the provider; a conflict
// (400) is Declined with its code.
func TestAdviceRepeatsUntilFinal(t *testing.T) {
	t.Parallel()
	for _, op := range []string{OpConfirm, OpReverse} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, utilitysim.Options{})
			txn := r.purchased(t)
			path := "/tokenPurchases/*/confirmations/*"
			if op == OpReverse {
				path = "/tokenPurchases/*/reversals/*"
			}
			r.sim.Harness().Arm(simulator.Fault{Path: path, Status: 503})
			r.sim.Harness().Arm(simulator.Fault{Path: path, Drop: true})
			res, _ := r.call(t, op, txn, false)
			want(t, op+" 503", res, lifecycle.RetryLater, "")
			res, _ = r.call(t, op, txn, false)
			want(t, op+" dropped", res, lifecycle.RetryLater, "")
			for range 2 {
				res, _ = r.call(t, op, txn, false)
				want(t, op, res, lifecycle.OK, "")
			}
			if n := r.count(t, txn, advicePath(txn, op)); n != 4 {
				t.Fatalf("%d advices sent under the advice id, want 4", n)
			}
			st, _ := r.sim.Purchase(purchaseOf(t, txn).PurchaseID.String())
			if st.Confirmations+st.Reversals != 1 {
				t.Fatalf("provider state %+v, want the one advice counted once", st)
			}
			other := OpReverse
			if op == OpReverse {
				other = OpConfirm
			}
			res, _ = r.call(t, other, txn, false)
			want(t, other+" after "+op, res, lifecycle.Declined, utility.ErrInvalidAdvice)
		})
	}
}

// TestAdviceBody: the advice names the purchase and its own id, and a
// confirmation carries the tenders.
func TestAdviceBody(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{})
	txn := r.purchased(t)
	res, _ := r.call(t, OpConfirm, txn, false)
	want(t, "confirm", res, lifecycle.OK, "")
	var adv utility.ConfirmationAdvice
	if err := json.Unmarshal([]byte(r.bodies(advicePath(txn, OpConfirm))[0]), &adv); err != nil {
		t.Fatal(err)
	}
	d := purchaseOf(t, txn)
	if adv.ID != AdviceID(txn, OpConfirm).String() || adv.RequestID != d.PurchaseID.String() ||
		len(adv.Tenders) != 1 || adv.Tenders[0].Amount.Amount != 5000 {
		t.Fatalf("advice sent %+v", adv)
	}
	again := *txn // the same transaction read again
	if AdviceID(txn, OpConfirm) == AdviceID(txn, OpReverse) || AdviceID(&again, OpConfirm) != AdviceID(txn, OpConfirm) {
		t.Fatal("advice ids are not one stable id per op")
	}
}

// TestReverseNeverReceived: reversing a purchase the provider never got
// is 202; the purchase arriving late (its retry) is then declined
// PURCHASE_REVERSED and issues nothing. Confirming one is RetryLater (the
// purchase may still arrive).
func TestReverseNeverReceived(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{})
	lost := r.purchaseTxn(t, "01000000000", "50.00")
	res, _ := r.call(t, OpConfirm, lost, false)
	want(t, "confirm of an unknown purchase", res, lifecycle.RetryLater, utility.ErrNotFound)
	res, _ = r.call(t, OpReverse, lost, false)
	want(t, "reverse", res, lifecycle.OK, "")
	res, _ = r.call(t, OpPurchase, lost, true)
	want(t, "retry after the reversal", res, lifecycle.Declined, utility.ErrReversed)
	if n := r.issued(t, lost); n != 0 {
		t.Fatalf("%d token sets issued", n)
	}
}

// TestAdviceConnectionRefused: an advice that could not be sent is
// RetryLater, never final.
func TestAdviceConnectionRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{})
	r.conn = New(r.deps, closedURL(t), callTimeout)
	txn := r.purchaseTxn(t, "01000000000", "50.00")
	for _, op := range []string{OpConfirm, OpReverse} {
		res, _ := r.call(t, op, txn, false)
		want(t, op, res, lifecycle.RetryLater, "")
	}
}

// closedURL is the address of a port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}
