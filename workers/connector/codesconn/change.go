package codesconn

import (
	"context"
	"errors"
	"time"

	"github.com/switchyard/switchyard/orchestrator/code"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/paycode"
)

// errNoCode: the code transaction has no provider code (never created).
var errNoCode = errors.New("the code has no provider code yet")

// change is a call on an existing code: the client, the code number and
// the lifecycle's pending spec.
type change func(ctx context.Context, cl *paycode.Client, number string, s code.Spec) lifecycle.Result

// onCode runs fn on call's code. Every change is Repeat: each sets the code
// to what the call names, so making it again changes nothing more.
func (c *conn) onCode(ctx context.Context, op string, call connector.Call, fn change) (lifecycle.Result, error) {
	cl, err := c.clientFor(ctx, call.Txn)
	if err != nil {
		return lifecycle.Result{}, err
	}
	number := call.Txn.ProviderReference
	if number == "" {
		return invalid(op, errNoCode), nil
	}
	var s code.Spec
	if op == OpUpdate || op == OpSetAmount {
		if s, err = c.pending(call.Txn); err != nil {
			return invalid(op, err), nil
		}
	}
	return fn(ctx, cl, number, s), nil
}

// update replaces the code's terms: PUT /code/{code}. Data: the expiry the
// provider answers.
func (c *conn) update(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.onCode(ctx, OpUpdate, call, func(ctx context.Context, cl *paycode.Client, number string, s code.Spec) lifecycle.Result {
		req, err := updateRequest(s)
		if err != nil {
			return invalid(OpUpdate, err)
		}
		d, err := cl.Update(ctx, number, req)
		r := resultOf(OpUpdate, err)
		if err == nil {
			exp, expires := d.Expires()
			r.Data = expiryData("", exp, expires)
		}
		return r
	})
}

// setAmount changes the amount and expiry: PUT /code/{code}/amount. The
// provider's answer is not documented, so Data is the expiry sent (always
// sent: left out, the provider would make it 30 minutes from now).
func (c *conn) setAmount(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.onCode(ctx, OpSetAmount, call, func(ctx context.Context, cl *paycode.Client, number string, s code.Spec) lifecycle.Result {
		err := cl.UpdateAmount(ctx, number, paycode.AmountRequest{Amount: s.Amount, ExpiryDate: expiryOf(s.Expires)})
		r := resultOf(OpSetAmount, err)
		if err == nil {
			r.Data = specExpiry(s)
		}
		return r
	})
}

// specExpiry is the Data naming s's expiry.
func specExpiry(s code.Spec) []byte {
	if s.Expires == nil {
		return expiryData("", time.Time{}, false)
	}
	return expiryData("", *s.Expires, true)
}

// block stops purchases on the code: PUT /code/{code}/block.
func (c *conn) block(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.onCode(ctx, OpBlock, call, func(ctx context.Context, cl *paycode.Client, number string, _ code.Spec) lifecycle.Result {
		return resultOf(OpBlock, cl.Block(ctx, number))
	})
}

// unblock allows purchases again: PUT /code/{code}/unblock.
func (c *conn) unblock(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.onCode(ctx, OpUnblock, call, func(ctx context.Context, cl *paycode.Client, number string, _ code.Spec) lifecycle.Result {
		return resultOf(OpUnblock, cl.Unblock(ctx, number))
	})
}

// delete deletes the code: DELETE /code/{code}. A 431 (the code does not
// exist) is OK: an earlier attempt whose answer was lost deleted it.
func (c *conn) delete(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	return c.onCode(ctx, OpDelete, call, func(ctx context.Context, cl *paycode.Client, number string, _ code.Spec) lifecycle.Result {
		_, err := cl.Delete(ctx, number)
		if statusOf(err) == paycode.StatusCodeNotFound {
			err = nil
		}
		return resultOf(OpDelete, err)
	})
}
