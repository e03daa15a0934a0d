package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

// bundle is what a store test needs: a store on its own migrated database
// and a merchant.
type bundle struct {
	st       *store.Store
	merchant uuid.UUID
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, schematest.NewDB(t), 6)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	b := &bundle{st: st}
	b.merchant = b.newMerchant(t)
	return b
}

func (b *bundle) newMerchant(t *testing.T) uuid.UUID {
	t.Helper()
	id := uuid.New()
	if err := b.st.MerchantCreate(t.Context(), &store.MerchantCreateParams{ID: id, Name: "Shop " + id.String()[:8],
		APIKeyHash: []byte(id.String()), APIKeyPrefix: "sk_" + id.String()[:8], WebhookSecret: []byte{0}}); err != nil {
		t.Fatal(err)
	}
	return id
}

// send runs fn's batch in one transaction and returns what Send returned.
func (b *bundle) send(t *testing.T, fn func(*store.Batch)) error {
	t.Helper()
	return b.st.InTx(t.Context(), func(tx pgx.Tx) error {
		var batch store.Batch
		fn(&batch)
		return batch.Send(t.Context(), tx)
	})
}

// newTxn inserts a transaction of the bundle's merchant at version 1, with
// parent when not nil.
func (b *bundle) newTxn(t *testing.T, parent *uuid.UUID) *store.Txn {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	txn := &store.Txn{ID: uuid.New(), MerchantID: b.merchant, Type: "toy", Status: "created", Provider: "acme",
		Amount: decimal.RequireFromString("12.50"), Currency: "NGN", ParentID: parent, Metadata: map[string]string{},
		Version: 1, CreatedAt: now}
	if err := b.send(t, func(batch *store.Batch) { batch.TransactionInsert(txn) }); err != nil {
		t.Fatal(err)
	}
	return txn
}

// get reloads a transaction.
func (b *bundle) get(t *testing.T, id uuid.UUID) *store.Txn {
	t.Helper()
	txn, err := b.st.TransactionGet(t.Context(), b.merchant, id)
	if err != nil {
		t.Fatal(err)
	}
	return txn
}

// count runs a count(*) query.
func (b *bundle) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := b.st.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
