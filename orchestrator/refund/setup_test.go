package refund_test

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/lifecycle/lifecycletest"
	"github.com/switchyard/switchyard/orchestrator/refund"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
)

const (
	p1  = events.ProviderProcessOne
	ono = events.ProviderOnoConnect
)

// providers declares a sale provider (ProcessOne's shape) and a provider
// whose unconfirmed charges are released (ono//connect's shape), as
// cmd/switchyard's registry does.
var providers = lifecycle.NewProviders(
	lifecycle.Provider{Name: p1, Sale: true, Void: true, Refund: true},
	lifecycle.Provider{Name: ono, ReleaseAuthorized: true},
)

// setup returns a harness running the charge and refund lifecycles (with
// policy p for refunds), whose scripted void and refund operations follow
// the recovery rule their connectors declare: query first.
func setup(t *testing.T, p refund.Policy) *lifecycletest.Harness {
	t.Parallel()
	l := refund.New(providers)
	l.Policy = p
	h := lifecycletest.New(t, charge.New(charge.Policy{}), l)
	var cs []*connector.Connector
	for _, prov := range []string{p1, ono} {
		cs = append(cs, &connector.Connector{Provider: prov, Operations: []connector.Operation{
			{Name: refund.OpVoid, Recovery: connector.QueryFirst},
			{Name: refund.OpRefund, Recovery: connector.QueryFirst},
		}})
	}
	h.Rules(cs...)
	return h
}

// newCharge writes a 100.00 ZAR charge of provider in status, refunded
// already refunded, straight into the store (the charge lifecycle's own
// paths to these statuses are tested in orchestrator/charge).
func newCharge(h *lifecycletest.Harness, t *testing.T, provider, status, refunded string) uuid.UUID {
	t.Helper()
	c := &store.Txn{ID: uuid.New(), MerchantID: h.Merchant, Type: events.TypeCharge, Status: status, Provider: provider,
		Amount: dec("100"), Currency: "ZAR", Reference: "order-" + uuid.NewString()[:8],
		Metadata: map[string]string{}, Details: map[string]json.RawMessage{}, Version: 1, CreatedAt: h.Now(), UpdatedAt: h.Now()}
	return writeCharge(h, t, c, refunded)
}

func writeCharge(h *lifecycletest.Harness, t *testing.T, c *store.Txn, refunded string) uuid.UUID {
	t.Helper()
	err := h.Store.InTx(t.Context(), func(tx pgx.Tx) error {
		var b store.Batch
		b.TransactionInsert(c)
		if refunded != "0" {
			c.RefundedAmount = dec(refunded)
			c.Version++
			b.TransactionUpdate(c)
		}
		return b.Send(t.Context(), tx)
	})
	if err != nil {
		t.Fatalf("write charge: %v", err)
	}
	return c.ID
}

// setStatus moves a charge to status behind the lifecycles' backs, as the
// merchant's batch cut-off does (orchestrator/charge/settle).
func setStatus(h *lifecycletest.Harness, t *testing.T, id uuid.UUID, status string) {
	t.Helper()
	c := h.Txn(id)
	c.Status = status
	c.Version++
	err := h.Store.InTx(t.Context(), func(tx pgx.Tx) error {
		var b store.Batch
		b.TransactionUpdate(c)
		return b.Send(t.Context(), tx)
	})
	if err != nil {
		t.Fatalf("set charge status: %v", err)
	}
}

// create sends refund.create for charge id (amount "" = all refundable).
func create(h *lifecycletest.Harness, id uuid.UUID, amount string) uuid.UUID {
	return h.Command(events.RefundCreate, refundData(id, amount))
}

func refundData(id uuid.UUID, amount string) map[string]any {
	d := map[string]any{"transaction_id": id.String(), "reason": "customer returned the goods", "metadata": map[string]string{"ticket": "T-1"}}
	if amount != "" {
		d["amount"] = amount
	}
	return d
}

// expectCharge fails unless the charge is in status with refunded and
// reserved amounts.
func expectCharge(h *lifecycletest.Harness, t *testing.T, id uuid.UUID, status, refunded, reserved string) *store.Txn {
	t.Helper()
	c := h.ExpectStatus(id, status)
	if !c.RefundedAmount.Equal(dec(refunded)) || !c.ReservedAmount.Equal(dec(reserved)) {
		t.Fatalf("charge refunded %s reserved %s, want %s and %s", c.RefundedAmount, c.ReservedAmount, refunded, reserved)
	}
	return c
}

// expectRefund fails unless refund id is in status, carried out by method.
func expectRefund(h *lifecycletest.Harness, t *testing.T, id uuid.UUID, status, method string) *store.Txn {
	t.Helper()
	r := h.ExpectStatus(id, status)
	if got := h.Engine.Resource(r).Method; got != method {
		t.Fatalf("refund shows method %q, want %q", got, method)
	}
	return r
}

func ok(ref string) lifecycle.Result {
	return lifecycle.Result{Outcome: lifecycle.OK, ProviderReference: ref}
}

var (
	batchClosed = lifecycle.Result{Outcome: lifecycle.Declined, Batch: lifecycle.BatchClosed, Code: "BatchHasBeenClosed"}
	batchOpen   = lifecycle.Result{Outcome: lifecycle.Declined, Batch: lifecycle.BatchOpen, Code: "BatchHasNotBeenClosed"}
	unknown     = lifecycle.Result{Outcome: lifecycle.Unknown, Message: "no answer"}
)
