package codesconn

import (
	"context"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
)

// create is the code's create: POST /code/create. OK: the provider's code
// is the transaction's provider reference, and Data is
// {"code": "...", "expires_at": RFC 3339 | null}. Its rule is
// ReportUnknown: the provider has no lookup by merchant reference and its
// create is not idempotent, so an attempt that may have reached it is
// never repeated.
func (c *conn) create(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	cl, err := c.clientFor(ctx, call.Txn)
	if err != nil {
		return lifecycle.Result{}, err
	}
	s, err := c.pending(call.Txn)
	if err != nil {
		return invalid(OpCreate, err), nil
	}
	req, err := createRequest(s)
	if err != nil {
		return invalid(OpCreate, err), nil
	}
	resp, err := cl.Create(ctx, req)
	r := resultOf(OpCreate, err)
	if err != nil {
		return r, nil
	}
	exp, expires := resp.Expires()
	r.ProviderReference, r.Data = resp.Code, expiryData(resp.Code, exp, expires)
	return r, nil
}
