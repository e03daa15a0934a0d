package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/orchestrator/store"
)

const kindWebhook = "webhook_delivery"

// addWork inserts a work item of kind for op of txn.
func (b *bundle) addWork(t *testing.T, txn *store.Txn, kind, op string) {
	t.Helper()
	if err := b.send(t, func(batch *store.Batch) {
		batch.WorkInsert(store.WorkItem{Kind: kind, TransactionID: txn.ID, MerchantID: txn.MerchantID, Provider: "acme",
			Op: op, Version: txn.Version})
	}); err != nil {
		t.Fatal(err)
	}
}

// claim claims up to 10 items of kind and fails unless it got want.
func (b *bundle) claim(t *testing.T, kind string, lease time.Duration, want int) []store.WorkItem {
	t.Helper()
	items, err := b.st.WorkClaim(t.Context(), kind, 10, lease, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != want {
		t.Fatalf("claimed %d %s items (%+v), want %d", len(items), kind, items, want)
	}
	return items
}

// workRow is what a claim's writes may change.
type workRow struct {
	Attempt, SentAttempt int
	AvailableAt          time.Time
}

func (b *bundle) workRow(t *testing.T, id int64) (workRow, bool) {
	t.Helper()
	var r workRow
	err := b.st.Pool.QueryRow(t.Context(), `SELECT attempt, sent_attempt, available_at FROM work_items WHERE merchant_id = $1 AND id = $2`,
		b.merchant, id).Scan(&r.Attempt, &r.SentAttempt, &r.AvailableAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return r, true
}

// TestWorkClaimKindAndLease: a claim takes only its kind; a claimed item is
// invisible until its lease ends, and the next claim bumps its attempt.
func TestWorkClaimKindAndLease(t *testing.T) {
	t.Parallel()
	b := setup(t)
	txn := b.newTxn(t, nil)
	b.addWork(t, txn, store.WorkProviderCall, "charge")
	b.addWork(t, txn, kindWebhook, "deliver")

	hook := b.claim(t, kindWebhook, time.Hour, 1)[0]
	if hook.Kind != kindWebhook || hook.Op != "deliver" || hook.Attempt != 1 {
		t.Errorf("webhook claim: %+v", hook)
	}
	first := b.claim(t, store.WorkProviderCall, 2*time.Second, 1)[0]
	if first.Kind != store.WorkProviderCall || first.Op != "charge" || first.Attempt != 1 || first.SentAttempt != 0 ||
		first.TransactionID != txn.ID || first.MerchantID != b.merchant {
		t.Errorf("provider call claim: %+v", first)
	}
	b.claim(t, store.WorkProviderCall, time.Hour, 0) // leased
	b.claim(t, "settlement", time.Hour, 0)

	var again []store.WorkItem
	deadline := time.Now().Add(10 * time.Second)
	for len(again) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		var err error
		if again, err = b.st.WorkClaim(t.Context(), store.WorkProviderCall, 10, time.Hour, 0); err != nil {
			t.Fatal(err)
		}
	}
	if len(again) != 1 || again[0].ID != first.ID || again[0].Attempt != 2 {
		t.Fatalf("claim after the lease ended: %+v, want item %d at attempt 2", again, first.ID)
	}
	b.claim(t, kindWebhook, time.Hour, 0) // its lease still runs
}

// TestWorkFencing: once an item is claimed again, every write of the old
// claim fails with ErrLeaseLost and changes nothing; the new claim's work.
func TestWorkFencing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	txn := b.newTxn(t, nil)
	b.addWork(t, txn, store.WorkProviderCall, "charge")
	old := b.claim(t, store.WorkProviderCall, 0, 1)[0] // lease over at once
	cur := b.claim(t, store.WorkProviderCall, time.Hour, 1)[0]
	if cur.ID != old.ID || cur.Attempt != old.Attempt+1 {
		t.Fatalf("re-claim %+v of %+v", cur, old)
	}
	before, _ := b.workRow(t, old.ID)

	finish := b.send(t, func(batch *store.Batch) {
		batch.EventInsert(b.merchant, txn.ID, 1, uuid.New(), "toy.done", "", []byte(`{}`))
		batch.WorkFinish(old)
	})
	_, begin := b.st.WorkBegin(ctx, old)
	_, check := b.st.WorkCheck(ctx, old)
	for name, err := range map[string]error{
		"WorkFinish":         finish,
		"WorkBegin":          begin,
		"WorkCheck":          check,
		"WorkRelease":        b.st.WorkRelease(ctx, old, 0, false),
		"WorkRelease unsent": b.st.WorkRelease(ctx, old, 0, true),
	} {
		if !errors.Is(err, store.ErrLeaseLost) {
			t.Errorf("old claim's %s: err = %v, want ErrLeaseLost", name, err)
		}
	}
	if err := b.st.WorkDone(ctx, old); err != nil {
		t.Errorf("old claim's WorkDone: %v", err)
	}
	if after, ok := b.workRow(t, old.ID); !ok || after != before {
		t.Errorf("old claim's writes changed the item: %+v (present %v), was %+v", after, ok, before)
	}
	if n := b.count(t, `SELECT count(*) FROM transaction_events`); n != 0 {
		t.Errorf("the batch of a lost claim's WorkFinish wrote %d events", n)
	}

	got, err := b.st.WorkBegin(ctx, cur)
	if err != nil || got.ID != txn.ID {
		t.Fatalf("current claim's WorkBegin: %+v, %v", got, err)
	}
	if r, _ := b.workRow(t, cur.ID); r.SentAttempt != cur.Attempt {
		t.Errorf("sent_attempt = %d after WorkBegin of attempt %d", r.SentAttempt, cur.Attempt)
	}
	if err := b.send(t, func(batch *store.Batch) { batch.WorkFinish(cur) }); err != nil {
		t.Fatalf("current claim's WorkFinish: %v", err)
	}
	if _, ok := b.workRow(t, cur.ID); ok {
		t.Error("work item left after its claim finished it")
	}
}

// TestWorkReleaseSent: handing an item back keeps the "sent" of its
// attempt, unless the attempt is known to have sent nothing.
func TestWorkReleaseSent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		unsent   bool
		wantSent int
	}{
		{"may have been sent", false, 1},
		{"certainly not sent", true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			txn := b.newTxn(t, nil)
			b.addWork(t, txn, store.WorkProviderCall, "charge")
			w := b.claim(t, store.WorkProviderCall, time.Hour, 1)[0]
			if _, err := b.st.WorkBegin(t.Context(), w); err != nil {
				t.Fatal(err)
			}
			if err := b.st.WorkRelease(t.Context(), w, 0, tc.unsent); err != nil {
				t.Fatal(err)
			}
			next := b.claim(t, store.WorkProviderCall, time.Hour, 1)[0]
			if next.Attempt != 2 || next.SentAttempt != tc.wantSent {
				t.Errorf("next claim: attempt %d sent_attempt %d, want 2 and %d", next.Attempt, next.SentAttempt, tc.wantSent)
			}
		})
	}
}

// TestWorkCancelUnsent removes only the transaction's unsent items of op.
func TestWorkCancelUnsent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	txn, otherTxn := b.newTxn(t, nil), b.newTxn(t, nil)
	b.addWork(t, txn, store.WorkProviderCall, "charge")
	sent := b.claim(t, store.WorkProviderCall, time.Hour, 1)[0]
	if _, err := b.st.WorkBegin(ctx, sent); err != nil {
		t.Fatal(err)
	}
	b.addWork(t, txn, store.WorkProviderCall, "charge")      // unsent: removed
	b.addWork(t, txn, store.WorkProviderCall, "confirm")     // another op
	b.addWork(t, otherTxn, store.WorkProviderCall, "charge") // another transaction

	cancel := func(merchant uuid.UUID) bool {
		var removed bool
		if err := b.st.InTx(ctx, func(tx pgx.Tx) error {
			var err error
			removed, err = store.WorkCancelUnsent(ctx, tx, merchant, txn.ID, "charge")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return removed
	}
	if cancel(b.newMerchant(t)) {
		t.Error("another merchant cancelled the transaction's work")
	}
	if !cancel(b.merchant) {
		t.Error("the unsent charge was not removed")
	}
	if cancel(b.merchant) {
		t.Error("a second cancel removed something")
	}
	rows, err := b.st.Pool.Query(ctx, `SELECT transaction_id, operation, sent_attempt FROM work_items ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	type left struct {
		txn  uuid.UUID
		op   string
		sent int
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (left, error) {
		var l left
		return l, r.Scan(&l.txn, &l.op, &l.sent)
	})
	want := []left{{txn.ID, "charge", 1}, {txn.ID, "confirm", 0}, {otherTxn.ID, "charge", 0}}
	if err != nil || len(got) != len(want) {
		t.Fatalf("items left: %+v, %v; want %+v", got, err, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("item %d left: %+v, want %+v", i, got[i], want[i])
		}
	}
}
