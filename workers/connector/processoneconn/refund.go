package processoneconn

import (
	"context"
	"errors"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/processone"
)

// Codes of a void or refund refused before anything is sent.
const (
	codeNoParent            = "parent_not_found"
	codeNoProviderReference = "parent_has_no_provider_reference"
)

// void voids a refund's parent charge (CreditCard/Void or Eft/Void).
func (c *conn) void(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.reverse(ctx, call, OpVoid, perform)
}

func (c *conn) voidRecover(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.reverse(ctx, call, OpVoid, recoverOp)
}

// refund refunds the refund's amount of its parent charge
// (CreditCard/Refund or Eft/Refund): all of it, or a PartialRefundAmount.
func (c *conn) refund(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.reverse(ctx, call, OpRefund, perform)
}

func (c *conn) refundRecover(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.reverse(ctx, call, OpRefund, recoverOp)
}

// reverse runs op (void or refund) of refund transaction t on its parent.
func (c *conn) reverse(ctx context.Context, call connector.Call, op string, run runner) (lifecycle.Result, error) {
	t := call.Txn
	cl, err := c.clients.Get(ctx, t.MerchantID)
	if err != nil {
		return lifecycle.Result{}, err
	}
	parent, typ, err := c.parentOf(ctx, t)
	if r, refused := refusedLocally(op, err); refused {
		return r, nil
	}
	if err != nil {
		return lifecycle.Result{}, err
	}
	cb := CallbackID(t.ID, op)
	r, _ := run(ctx, cl, op, cb, reversal(cl, op, typ, parent, t, cb))
	return r, nil
}

// parentOf loads refund t's charge and tells how it was paid: a card or a
// bank account (a saved method's own type).
func (c *conn) parentOf(ctx context.Context, t *store.Txn) (*store.Txn, string, error) {
	if t.ParentID == nil {
		return nil, "", &refusal{codeNoParent, "a refund without a parent charge"}
	}
	parent, err := c.deps.Store.TransactionGet(ctx, t.MerchantID, *t.ParentID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", &refusal{codeNoParent, "the refund's charge " + t.ParentID.String() + " does not exist"}
	}
	if err != nil {
		return nil, "", err
	}
	if parent.ProviderReference == "" {
		return nil, "", &refusal{codeNoProviderReference, "the charge has no ProcessOne TransactionId to reverse"}
	}
	typ, pmID := charge.Method(parent)
	if typ != events.PaymentToken {
		return parent, typ, nil
	}
	row, err := c.deps.Store.PaymentMethodGet(ctx, t.MerchantID, pmID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", &refusal{codePaymentMethodNotFound, "the charge's saved payment method " + pmID + " does not exist"}
	}
	if err != nil {
		return nil, "", err
	}
	return parent, row.Type, nil
}

// reversal is the call of op on parent for refund t: a card's or a bank
// account's void or refund, partial when t takes less than the charge.
func reversal(cl *processone.Client, op, typ string, parent, t *store.Txn, cb string) send {
	id := parent.ProviderReference
	var partial *processone.Amount
	if t.Amount.LessThan(parent.Amount) {
		partial = processone.AmountOf(t.Amount).Ptr()
	}
	eft := typ == events.PaymentBankAccount
	return func(ctx context.Context) (sent, error) {
		var txID *string
		var err error
		switch {
		case op == OpVoid && eft:
			var r *processone.VoidEftResponse
			if r, err = cl.EftVoid(ctx, &processone.VoidEftRequest{TransactionID: id, CallbackID: &cb}); r != nil {
				txID = r.TransactionID
			}
		case op == OpVoid:
			var r *processone.VoidCreditCardResponse
			if r, err = cl.CreditCardVoid(ctx, &processone.VoidCreditCardRequest{TransactionID: id, CallbackID: &cb}); r != nil {
				txID = r.TransactionID
			}
		case eft:
			var r *processone.RefundEftResponse
			req := &processone.RefundEftRequest{TransactionID: id, CallbackID: &cb, PartialRefundAmount: partial}
			if r, err = cl.EftRefund(ctx, req); r != nil {
				txID = r.TransactionID
			}
		default:
			var r *processone.RefundCreditCardResponse
			req := &processone.RefundCreditCardRequest{TransactionID: id, CallbackID: &cb, PartialRefundAmount: partial}
			if r, err = cl.CreditCardRefund(ctx, req); r != nil {
				txID = r.TransactionID
			}
		}
		return sent{id: deref(txID)}, err
	}
}
