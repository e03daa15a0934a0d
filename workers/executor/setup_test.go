package executor_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/executor"
)

func TestMain(m *testing.M) { schematest.Main(m) }

const (
	toyType     = "toy"
	toyProvider = "toyprov"
	calling     = "calling" // the toy transaction awaits its call's result
	done        = "done"    // a result was applied
)

// toy is a lifecycle of one provider call: a transaction in "calling"
// awaits the result of any operation, and the first result applied moves it
// to "done", its outcome kept in details["results"].
type toy struct{}

func (toy) Type() string                  { return toyType }
func (toy) Commands() []lifecycle.Command { return nil }
func (toy) Routes() []lifecycle.Route     { return nil }
func (toy) InFlight(status string) bool   { return status == calling }
func (toy) Final(status string) bool      { return status != calling }
func (toy) Parse(string, json.RawMessage) (lifecycle.Parsed, error) {
	return lifecycle.Parsed{}, errors.New("toy takes no commands")
}
func (toy) Create(*lifecycle.Creation) ([]effect.Effect, error) {
	return nil, errors.New("toy takes no commands")
}
func (toy) Awaits(t *store.Txn, _ string) bool   { return t.Status == calling }
func (toy) Show(*store.Txn, *events.Transaction) {}
func (toy) Decide(t *store.Txn, in lifecycle.Input, _ *lifecycle.Env) ([]effect.Effect, error) {
	r, ok := in.(lifecycle.Result)
	if !ok || t.Status != calling {
		return nil, lifecycle.ErrIgnored
	}
	t.Status = done
	lifecycle.SetDetail(t, "results", append(results(t), r.Outcome.String()))
	return nil, nil
}

// results lists the outcomes applied to a toy transaction.
func results(t *store.Txn) []string {
	var out []string
	if raw, ok := t.Details["results"]; ok {
		_ = json.Unmarshal(raw, &out)
	}
	return out
}

// invocation is one call of a scripted operation.
type invocation struct {
	Fn   string // "call" or "recover"
	Work store.WorkItem
	Txn  uuid.UUID
	// SentNow is the item's sent_attempt while the call ran: what the
	// executor recorded before calling.
	SentNow int
}

// bundle is an executor over a real database and engine (toy lifecycle),
// with a connector scripted by the test.
type bundle struct {
	st       *store.Store
	eng      *engine.Engine
	merchant uuid.UUID
	x        *executor.Executor

	mu  sync.Mutex
	got []invocation
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, schematest.NewDB(t), 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	b := &bundle{st: st, merchant: uuid.New(),
		eng: engine.New(engine.Config{Store: st, Lifecycles: lifecycle.NewRegistry(toy{})})}
	if err := st.MerchantCreate(ctx, &store.MerchantCreateParams{ID: b.merchant, Name: "Shop", APIKeyHash: []byte(b.merchant.String()),
		APIKeyPrefix: "sk_test", WebhookSecret: []byte{0}}); err != nil {
		t.Fatal(err)
	}
	return b
}

// start builds the executor over a connector holding ops.
func (b *bundle) start(lease time.Duration, prepare func(context.Context, uuid.UUID) error, ops ...connector.Operation) {
	reg := connector.NewRegistry(&connector.Connector{Provider: toyProvider, Prepare: prepare, Operations: ops})
	b.x = executor.New(executor.Config{Engine: b.eng, Connectors: reg, Lease: lease})
}

// fn returns a scripted operation function: it records its invocation,
// then answers with answer.
func (b *bundle) fn(t *testing.T, name string, answer func(context.Context, connector.Call) (lifecycle.Result, error)) connector.Func {
	return func(ctx context.Context, c connector.Call) (lifecycle.Result, error) {
		inv := invocation{Fn: name, Work: c.Work, Txn: c.Txn.ID, SentNow: -1}
		_ = b.st.Pool.QueryRow(ctx, `SELECT sent_attempt FROM work_items WHERE merchant_id = $1 AND id = $2`,
			c.Work.MerchantID, c.Work.ID).Scan(&inv.SentNow)
		b.mu.Lock()
		b.got = append(b.got, inv)
		b.mu.Unlock()
		return answer(ctx, c)
	}
}

// answer returns a scripted answer of outcome o.
func answer(o lifecycle.Outcome) func(context.Context, connector.Call) (lifecycle.Result, error) {
	return func(_ context.Context, c connector.Call) (lifecycle.Result, error) {
		return lifecycle.Result{Op: c.Work.Op, Outcome: o}, nil
	}
}

func (b *bundle) invocations() []invocation {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]invocation(nil), b.got...)
}

// newCall inserts a toy transaction awaiting op and its work item.
func (b *bundle) newCall(t *testing.T, op string) uuid.UUID { return b.newCallWith(t, op, false) }

// newCallWith is newCall with the item's Recover flag (an earlier item of
// the op may have reached the provider).
func (b *bundle) newCallWith(t *testing.T, op string, recover bool) uuid.UUID {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	txn := &store.Txn{ID: uuid.New(), MerchantID: b.merchant, Type: toyType, Status: calling, Provider: toyProvider,
		Amount: decimal.RequireFromString("12.50"), Currency: "NGN", Metadata: map[string]string{}, Version: 1, CreatedAt: now}
	err := b.st.InTx(t.Context(), func(tx pgx.Tx) error {
		var batch store.Batch
		batch.TransactionInsert(txn)
		batch.WorkInsert(store.WorkItem{Kind: store.WorkProviderCall, TransactionID: txn.ID, MerchantID: b.merchant,
			Provider: toyProvider, Op: op, Version: 1, Recover: recover})
		return batch.Send(t.Context(), tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return txn.ID
}

// sentByEarlierAttempt plays a worker that claimed the item, recorded its
// call as sent and died before committing a result: the item is available
// again, with sent_attempt 1. It returns that claim.
func (b *bundle) sentByEarlierAttempt(t *testing.T) store.WorkItem {
	t.Helper()
	ctx := t.Context()
	items, err := b.st.WorkClaim(ctx, store.WorkProviderCall, 10, time.Hour, 0)
	if err != nil || len(items) != 1 {
		t.Fatalf("claim: %+v, %v", items, err)
	}
	if _, err := b.st.WorkBegin(ctx, items[0]); err != nil {
		t.Fatal(err)
	}
	if err := b.st.WorkRelease(ctx, items[0], 0, false); err != nil {
		t.Fatal(err)
	}
	return items[0]
}

// runOnce runs one executor pass and fails unless it ran want items.
func (b *bundle) runOnce(t *testing.T, want int) {
	t.Helper()
	n, err := b.x.RunOnce(t.Context())
	if err != nil || n != want {
		t.Fatalf("RunOnce ran %d items (err %v), want %d", n, err, want)
	}
}

// txn reloads a transaction.
func (b *bundle) txn(t *testing.T, id uuid.UUID) *store.Txn {
	t.Helper()
	txn, err := b.st.TransactionGet(t.Context(), b.merchant, id)
	if err != nil {
		t.Fatal(err)
	}
	return txn
}

// expectApplied fails unless exactly the outcomes want were applied to id.
func (b *bundle) expectApplied(t *testing.T, id uuid.UUID, want ...string) {
	t.Helper()
	txn := b.txn(t, id)
	got := results(txn)
	if !slices.Equal(got, want) {
		t.Errorf("outcomes applied: %q (status %s), want %q", got, txn.Status, want)
	}
}

// workLeft returns the transaction's work items (attempt, sent_attempt).
func (b *bundle) workLeft(t *testing.T, id uuid.UUID) [][2]int {
	t.Helper()
	rows, err := b.st.Pool.Query(t.Context(), `SELECT attempt, sent_attempt FROM work_items
		WHERE merchant_id = $1 AND transaction_id = $2 ORDER BY id`, b.merchant, id)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]int, error) {
		var a [2]int
		return a, r.Scan(&a[0], &a[1])
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// calls returns the transaction's provider_calls rows.
func (b *bundle) calls(t *testing.T, id uuid.UUID) []store.ProviderCall {
	t.Helper()
	pcs, err := b.st.ProviderCalls(t.Context(), b.merchant, id)
	if err != nil {
		t.Fatal(err)
	}
	return pcs
}

// expectCalls fails unless the provider_calls rows of id are want (their
// attempts and outcomes), all for op.
func (b *bundle) expectCalls(t *testing.T, id uuid.UUID, op string, want ...store.ProviderCall) {
	t.Helper()
	got := b.calls(t, id)
	if len(got) != len(want) {
		t.Fatalf("provider_calls: %+v, want %d rows", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Attempt != w.Attempt || g.Outcome != w.Outcome || g.Operation != op || g.Provider != toyProvider ||
			g.TransactionID != id || g.MerchantID != b.merchant {
			t.Errorf("provider_calls row %d: %+v, want attempt %d outcome %s", i, g, w.Attempt, w.Outcome)
		}
	}
}
