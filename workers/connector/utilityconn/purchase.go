package utilityconn

import (
	"context"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/utility"
)

// purchase is the purchase's Call: POST /tokenPurchases/{id}. A
// DUPLICATE_RECORD answer means a purchase with this id exists at the
// provider (an earlier attempt arrived): it is answered by the retry, which
// returns that purchase's tokens or decline, never as a decline of its own.
func (c *conn) purchase(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.vend(ctx, call, func(ctx context.Context, cl *utility.Client, req utility.PurchaseRequest) lifecycle.Result {
		resp, err := cl.Purchase(ctx, req)
		if duplicate(err) {
			resp, err = cl.Retry(ctx, req)
			return vendResult(retry, req, resp, err)
		}
		return vendResult(vend, req, resp, err)
	})
}

// purchaseRecover is the purchase's Recover (RetrySameID): an earlier
// attempt may have reached the provider, so the identical request goes to
// POST /tokenPurchases/{id}/retry, which answers the tokens already issued,
// or issues them now, or says it never received the purchase (NotFound).
func (c *conn) purchaseRecover(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.vend(ctx, call, func(ctx context.Context, cl *utility.Client, req utility.PurchaseRequest) lifecycle.Result {
		resp, err := cl.Retry(ctx, req)
		return vendResult(retry, req, resp, err)
	})
}

// vendFunc sends a purchase request one way or another.
type vendFunc func(ctx context.Context, cl *utility.Client, req utility.PurchaseRequest) lifecycle.Result

// vend builds the purchase request of call's transaction and sends it with
// send. A request that cannot be built never could have been, by any
// attempt: Failed, with codeInvalidPurchase.
func (c *conn) vend(ctx context.Context, call connector.Call, send vendFunc) (lifecycle.Result, error) {
	t := call.Txn
	cl, err := c.clients.Get(ctx, t.MerchantID)
	if err != nil {
		return lifecycle.Result{}, err
	}
	creds, err := c.accounts.Get(ctx, t.MerchantID)
	if err != nil {
		return lifecycle.Result{}, err
	}
	d, err := PurchaseOf(t)
	if err != nil {
		return invalidPurchase(OpPurchase, err), nil
	}
	req, err := purchaseRequest(c.deps.Sealer, t, d, creds.ClientID)
	if err != nil {
		return invalidPurchase(OpPurchase, err), nil
	}
	return send(ctx, cl, req), nil
}

// vendResult is the result of a purchase or retry: OK with the tokens as
// Data and the first token's receipt number as the provider's reference,
// or the outcome table's class. Tokens that cannot be read are Unknown:
// the retry asks for them again.
func vendResult(c call, req utility.PurchaseRequest, resp *utility.PurchaseResponse, err error) lifecycle.Result {
	r := resultOf(OpPurchase, c, err)
	if err != nil {
		return r
	}
	toks, err := tokensOf(resp, req.PurchaseAmount.Currency)
	if err != nil {
		return lifecycle.Result{Op: OpPurchase, Outcome: lifecycle.Unknown, Message: "tokens issued but unreadable: " + err.Error()}
	}
	r.Data, r.ProviderReference = tokensJSON(toks), toks[0].ReceiptNumber
	return r
}

// invalidPurchase is the result of an operation whose request cannot be
// built from the transaction.
func invalidPurchase(op string, err error) lifecycle.Result {
	return lifecycle.Result{Op: op, Outcome: lifecycle.Failed, Code: codeInvalidPurchase, Message: err.Error()}
}
