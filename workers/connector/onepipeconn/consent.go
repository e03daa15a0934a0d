package onepipeconn

import (
	"context"
	"errors"

	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/onepipe"
)

// consent builds a consent's call: hold_funds of its verification amount
// (t.Amount) with the customer's auth, opened now and encrypted into
// auth.secure by the client.
func (c *conn) consent(_ context.Context, t *store.Txn) (request, error) {
	raw, err := readAuth(c.deps.Sealer, t)
	if errors.Is(err, errNoDetail) {
		return nil, refuse(codeInvalidAuth, "the consent holds no auth details")
	}
	if err != nil {
		return nil, err
	}
	authType, secure, err := secureOf(raw)
	if err != nil {
		return nil, err
	}
	p := onepipe.Consent{RequestRef: RequestRef(t.ID, OpConsent), TransactionRef: subjectRef(t, OpConsent),
		RequestType: onepipe.RequestHoldFunds, AuthType: authType, Secure: secure, Amount: t.Amount,
		Description: description("consent", t), Customer: customerOf(t), Meta: meta(t)}
	return func(ctx context.Context, cl *onepipe.Client) (*onepipe.Result, error) { return cl.Consent(ctx, p) }, nil
}

// validate builds a consent's validate: the OTP (or validation answer),
// opened now, for the consent's transaction_ref, with a request_ref of its
// own.
func (c *conn) validate(_ context.Context, t *store.Txn) (request, error) {
	otp, err := readOTP(c.deps.Sealer, t)
	if errors.Is(err, errNoDetail) {
		return nil, refuse(codeNoOTP, "the consent holds no OTP to validate with")
	}
	if err != nil {
		return nil, err
	}
	reqRef, txRef := RequestRef(t.ID, OpValidate), subjectRef(t, OpValidate)
	return func(ctx context.Context, cl *onepipe.Client) (*onepipe.Result, error) {
		return cl.Validate(ctx, reqRef, txRef, string(otp))
	}, nil
}

// release builds the reverse of what t holds at OnePipe: a consent's
// verification hold, or a hold. Repeat: every attempt sends the same
// request_ref, and releasing a released or expired hold answers
// Successful.
func (c *conn) release(_ context.Context, t *store.Txn) (request, error) {
	reqRef, txRef := RequestRef(t.ID, OpRelease), subjectRef(t, OpRelease)
	return func(ctx context.Context, cl *onepipe.Client) (*onepipe.Result, error) {
		return cl.Release(ctx, reqRef, txRef)
	}, nil
}

// description is transaction_desc: what t is, and the merchant's reference.
func description(what string, t *store.Txn) string {
	if t.Reference == "" {
		return what
	}
	return what + " " + t.Reference
}

// meta names t in our system on every request about it.
func meta(t *store.Txn) map[string]string {
	return map[string]string{"transaction_id": t.ID.String()}
}
