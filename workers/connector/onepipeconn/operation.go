package onepipeconn

import (
	"context"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/onepipe"
)

// request is an operation's call, built and ready to send.
type request func(ctx context.Context, cl *onepipe.Client) (*onepipe.Result, error)

// builder builds operation op's call on t, opening what it needs (auth,
// OTP, token) at that moment only. A *refusal is a call that never could
// be made (Failed); any other error is local, retried later.
type builder func(ctx context.Context, t *store.Txn) (request, error)

// operation is one OnePipe operation: its name and how its call is built.
type operation struct {
	name  string
	build builder
}

// call is the operation's Call.
func (o operation) call(c *conn) connector.Func {
	return func(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
		return c.run(ctx, o, call.Txn, false)
	}
}

// recover is the operation's Recover (QueryFirst).
func (o operation) recover(c *conn) connector.Func {
	return func(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
		return c.run(ctx, o, call.Txn, true)
	}
}

// run makes o's call on t, after asking the query when queryFirst (an
// earlier attempt may have reached OnePipe): found, its answer is the
// result; not found, the call is made with its original refs. A call
// refused as a duplicate transaction_ref is answered by the query.
func (c *conn) run(ctx context.Context, o operation, t *store.Txn, queryFirst bool) (lifecycle.Result, error) {
	cl, err := c.clients.Get(ctx, t.MerchantID)
	if err != nil {
		return lifecycle.Result{}, err
	}
	if queryFirst {
		if r, w := query(ctx, cl, o.name, t); w.next != thenCall {
			return r, nil
		}
	}
	send, err := o.build(ctx, t)
	if r, ok := refused(o.name, err); ok {
		return r, nil
	}
	if err != nil {
		return lifecycle.Result{}, err
	}
	res, err := send(ctx, cl)
	ans := answer{res: res, err: err}
	w := match(o.name, askCall, ans)
	if w.next == thenQuery && !queryFirst {
		if r, qw := query(ctx, cl, o.name, t); qw.next == final {
			return r, nil
		}
	}
	return resultOf(o.name, ans, w), nil
}

// query asks OnePipe about the transaction op names, with a fresh
// request_ref.
func query(ctx context.Context, cl *onepipe.Client, op string, t *store.Txn) (lifecycle.Result, row) {
	res, err := cl.Query(ctx, queryRef(), subjectRef(t, op))
	ans := answer{res: res, err: err}
	w := match(op, askQuery, ans)
	r := resultOf(op, ans, w)
	if r.Outcome == lifecycle.Unknown {
		r.Message = "query: " + r.Message
	}
	return r, w
}
