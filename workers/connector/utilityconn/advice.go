package utilityconn

import (
	"context"
	"errors"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/utility"
)

// confirm sends the confirmation advice (Repeat: until 202 or 400, always
// with the advice id AdviceID(t, "confirm")), carrying the tenders.
func (c *conn) confirm(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.advise(ctx, call, OpConfirm, func(ctx context.Context, cl *utility.Client, d PurchaseDetail, adv utility.Advice) error {
		tenders, err := tendersOf(d)
		if err != nil {
			return &invalidDetail{err}
		}
		return cl.Confirm(ctx, d.PurchaseID.String(), utility.ConfirmationAdvice{Advice: adv, Tenders: tenders})
	})
}

// reverse sends the reversal advice of a purchase that ends without tokens
// (Repeat, with the advice id AdviceID(t, "reverse")): it timed out.
func (c *conn) reverse(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.advise(ctx, call, OpReverse, func(ctx context.Context, cl *utility.Client, d PurchaseDetail, adv utility.Advice) error {
		return cl.Reverse(ctx, d.PurchaseID.String(), utility.ReversalAdvice{Advice: adv, ReversalReason: utility.ReversalTimedOut})
	})
}

// adviseFunc sends one advice.
type adviseFunc func(ctx context.Context, cl *utility.Client, d PurchaseDetail, adv utility.Advice) error

// advise sends op's advice about call's purchase. A purchase detail that
// cannot be read (or tenders that cannot be converted) can never be
// advised: Failed, with codeInvalidPurchase; nothing was sent.
func (c *conn) advise(ctx context.Context, call connector.Call, op string, send adviseFunc) (lifecycle.Result, error) {
	t := call.Txn
	cl, err := c.clients.Get(ctx, t.MerchantID)
	if err != nil {
		return lifecycle.Result{}, err
	}
	d, err := PurchaseOf(t)
	if err != nil {
		return invalidPurchase(op, err), nil
	}
	err = send(ctx, cl, d, adviceOf(t, op, d))
	var bad *invalidDetail
	if errors.As(err, &bad) {
		return invalidPurchase(op, bad.err), nil
	}
	return resultOf(op, advice, err), nil
}

// adviceOf is the advice part of op's advice: its stable id, the purchase
// it is about, and our id of the transaction. Its time is that of the
// sending (each repeat is a new message of the same advice).
func adviceOf(t *store.Txn, op string, d PurchaseDetail) utility.Advice {
	return utility.Advice{ID: AdviceID(t, op).String(), RequestID: d.PurchaseID.String(), ThirdPartyIdentifiers: thirdParty(t)}
}

// invalidDetail is an advice that cannot be built from the purchase
// detail: nothing was sent.
type invalidDetail struct{ err error }

func (e *invalidDetail) Error() string { return e.err.Error() }
