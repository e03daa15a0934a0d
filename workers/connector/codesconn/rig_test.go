package codesconn

import (
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/code"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
	"github.com/switchyard/switchyard/workers/provider"
)

// callTimeout is the connector's per-call time-out in these tests: long
// enough under -race on a busy machine, short enough for a lost request.
const callTimeout = time.Second

// rig is the codes connector against a simulator, for one merchant. The
// lifecycles' accessors (code.Pending, payment.Data) are replaced by what
// each test says the transaction holds.
type rig struct {
	sim      *paycodesim.Simulator
	c        *conn
	conn     *connector.Connector
	merchant uuid.UUID
	deps     connector.Deps

	mu       sync.Mutex
	specs    map[uuid.UUID]code.Spec
	payments map[uuid.UUID]events.CodePaymentData
}

func newRig(t *testing.T) *rig {
	t.Helper()
	sim := paycodesim.New(paycodesim.Options{Merchants: []paycodesim.Merchant{
		{Username: "good-user", Password: "good-password", Name: "Shop", Currency: "ZAR"}}})
	sim.Harness().Lost = 5 * time.Second
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	deps := connectortest.Deps(t)
	r := &rig{sim: sim, deps: deps, c: newConn(deps, srv.URL, callTimeout),
		specs: map[uuid.UUID]code.Spec{}, payments: map[uuid.UUID]events.CodePaymentData{}}
	r.c.pending = func(t *store.Txn) (code.Spec, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.specs[t.ID], nil
	}
	r.c.paymentData = func(t *store.Txn) (events.CodePaymentData, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.payments[t.ID], nil
	}
	r.conn = r.c.connector()
	r.merchant = connectortest.Merchant(t, deps, map[string]string{
		events.ProviderCodes: `{"username":"good-user","password":"good-password"}`})
	return r
}

// spec is a valid fixed-amount, use-once code expiring in an hour.
func spec(amount string) code.Spec {
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
	return code.Spec{Amount: decimal.RequireFromString(amount), Currency: "ZAR", Reference: "order-" + uuid.NewString()[:8],
		ShortDescription: "Basket of goods", Expires: &exp, UseOnce: true}
}

// codeTxn is a code transaction asking for s (not yet created).
func (r *rig) codeTxn(s code.Spec) *store.Txn {
	t := &store.Txn{ID: uuid.New(), MerchantID: r.merchant, Type: events.TypeCode, Provider: events.ProviderCodes,
		Reference: s.Reference, Amount: s.Amount, Currency: s.Currency, Version: 1, CreatedAt: time.Now()}
	r.setSpec(t, s)
	return t
}

func (r *rig) setSpec(t *store.Txn, s code.Spec) {
	r.mu.Lock()
	r.specs[t.ID] = s
	r.mu.Unlock()
}

// created is a code transaction created at the simulator through the
// connector's create.
func (r *rig) created(t *testing.T, s code.Spec) *store.Txn {
	t.Helper()
	txn := r.codeTxn(s)
	res := r.call(t, OpCreate, txn)
	want(t, "create", res, lifecycle.OK, "")
	txn.ProviderReference = res.ProviderReference
	return txn
}

// paymentTxn is a payment transaction holding d.
func (r *rig) paymentTxn(d events.CodePaymentData) *store.Txn {
	t := &store.Txn{ID: uuid.New(), MerchantID: r.merchant, Type: events.TypePayment, Provider: events.ProviderCodes,
		Reference: d.MerchantReference, Version: 1, CreatedAt: time.Now()}
	r.mu.Lock()
	r.payments[t.ID] = d
	r.mu.Unlock()
	return t
}

// op returns the connector's operation name.
func (r *rig) op(t *testing.T, name string) connector.Operation {
	t.Helper()
	for _, op := range r.conn.Operations {
		if op.Name == name {
			return op
		}
	}
	t.Fatalf("the connector has no operation %q", name)
	return connector.Operation{}
}

// call runs op's Call on txn the way the executor does.
func (r *rig) call(t *testing.T, name string, txn *store.Txn) lifecycle.Result {
	t.Helper()
	op := r.op(t, name)
	if err := r.conn.Prepare(t.Context(), txn.MerchantID); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	ctx, _ := provider.Record(t.Context())
	res, err := op.Call(ctx, connector.Call{Txn: txn})
	if err != nil {
		t.Fatalf("%s: local error %v", name, err)
	}
	if res.Op != name {
		t.Fatalf("%s: result for op %q", name, res.Op)
	}
	return res
}

// want checks a result's outcome and code.
func want(t *testing.T, what string, got lifecycle.Result, outcome lifecycle.Outcome, code string) {
	t.Helper()
	if got.Outcome != outcome || got.Code != code {
		t.Fatalf("%s: %s %q (%s), want %s %q", what, got.Outcome, got.Code, got.Message, outcome, code)
	}
}
