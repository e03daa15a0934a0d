package onepipeconn

import (
	"context"
	"errors"

	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/onepipe"
)

// hold builds a hold's call: hold_funds of t.Amount with the provider
// token of its consent (the parent), opened now.
func (c *conn) hold(ctx context.Context, t *store.Txn) (request, error) {
	token, err := c.token(ctx, t)
	if err != nil {
		return nil, err
	}
	p := onepipe.Hold{RequestRef: RequestRef(t.ID, OpHold), TransactionRef: subjectRef(t, OpHold),
		Token: token, Amount: t.Amount, Description: description("hold", t), Meta: meta(t)}
	return func(ctx context.Context, cl *onepipe.Client) (*onepipe.Result, error) { return cl.Hold(ctx, p) }, nil
}

// capture builds a hold's capture: a collect of the amount the hold
// lifecycle wrote (details "capture"), with the hold's transaction_ref as
// parent and the token it was placed with.
func (c *conn) capture(ctx context.Context, t *store.Txn) (request, error) {
	amount, err := captureAmount(t)
	if err != nil {
		return nil, err
	}
	token, err := c.token(ctx, t)
	if err != nil {
		return nil, err
	}
	p := onepipe.Capture{RequestRef: RequestRef(t.ID, OpCapture), TransactionRef: subjectRef(t, OpCapture),
		HoldRef: subjectRef(t, OpHold), Token: token, Amount: amount, Description: description("capture", t), Meta: meta(t)}
	return func(ctx context.Context, cl *onepipe.Client) (*onepipe.Result, error) { return cl.Capture(ctx, p) }, nil
}

// token is the provider token of hold t's consent, loaded by t.ParentID.
// A hold without a consent, or whose consent holds no token, is refused.
func (c *conn) token(ctx context.Context, t *store.Txn) (string, error) {
	if t.ParentID == nil {
		return "", refuse(codeNoToken, "the hold names no consent")
	}
	consent, err := c.deps.Store.TransactionGet(ctx, t.MerchantID, *t.ParentID)
	if errors.Is(err, store.ErrNotFound) {
		return "", refuse(codeNoToken, "the hold's consent does not exist")
	}
	if err != nil {
		return "", err
	}
	tok, err := readToken(c.deps.Sealer, consent)
	if errors.Is(err, errNoDetail) {
		return "", refuse(codeNoToken, "the hold's consent holds no provider token")
	}
	return string(tok), err
}
