package processoneconn

import (
	"context"
	"errors"

	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/processone"
)

// runner carries an operation's call out: perform (Call) or recoverOp
// (Recover, query first).
type runner func(ctx context.Context, cl *processone.Client, op, cb string, call send) (lifecycle.Result, sent)

// charge is the sale of a charge: CreditCard/Charge of a card or saved
// card, Eft/Debit of a bank account or saved account.
func (c *conn) charge(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.sale(ctx, call, perform)
}

// chargeRecover asks by CallbackId whether an earlier attempt charged.
func (c *conn) chargeRecover(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.sale(ctx, call, recoverOp)
}

// sale runs the charge with run. An approved charge that asked to save its
// card or account writes the payment method row before its result is
// returned, so that the pm_ id the charge shows can be charged as soon as
// the charge has succeeded.
func (c *conn) sale(ctx context.Context, call connector.Call, run runner) (lifecycle.Result, error) {
	t := call.Txn
	cl, err := c.clients.Get(ctx, t.MerchantID)
	if err != nil {
		return lifecycle.Result{}, err
	}
	m, err := c.chargeMethod(ctx, t)
	if r, refused := refusedLocally(OpCharge, err); refused {
		return r, nil
	}
	if err != nil {
		return lifecycle.Result{}, err
	}
	save := m.token == "" && charge.SaveAs(t) != ""
	cb := CallbackID(t.ID, OpCharge)
	r, s := run(ctx, cl, OpCharge, cb, m.sale(cl, t, cb, save, charge.CustomerID(t)))
	if r.Outcome != lifecycle.OK || !save {
		return r, nil
	}
	switch err := c.save(ctx, t, m, s); {
	case errors.Is(err, errNoToken):
		r.Message = err.Error() // approved all the same; the pm_ id stays unusable
	case err != nil:
		// The charge was made, the row was not written: unknown, so that
		// the lifecycle asks again by CallbackId (Recover), which finds
		// the charge and its token and saves again.
		return lifecycle.Result{Op: OpCharge, Outcome: lifecycle.Unknown, ProviderReference: r.ProviderReference,
			Message: "ProcessOne approved the charge; saving its payment method failed: " + err.Error()}, nil
	}
	return r, nil
}

// refusedLocally turns a *refusal into the operation's Failed result.
func refusedLocally(op string, err error) (lifecycle.Result, bool) {
	var no *refusal
	if !errors.As(err, &no) {
		return lifecycle.Result{}, false
	}
	return lifecycle.Result{Op: op, Outcome: lifecycle.Failed, Code: no.code, Message: no.message}, true
}
