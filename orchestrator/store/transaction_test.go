package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// TestTransactionUpdateVersionGuard: a write from a stale version is refused
// with ErrConflict, and nothing of its batch is written.
func TestTransactionUpdateVersionGuard(t *testing.T) {
	t.Parallel()
	b := setup(t)
	txn := b.newTxn(t, nil)
	stale := *txn // read at version 1 by a second writer

	txn.Status, txn.Version, txn.EventSeq = "pending", 2, 1
	if err := b.send(t, func(batch *store.Batch) {
		batch.TransactionUpdate(txn)
		batch.EventInsert(b.merchant, txn.ID, 1, uuid.New(), "toy.pending", "", []byte(`{}`))
	}); err != nil {
		t.Fatalf("write from the current version: %v", err)
	}

	other := b.newMerchant(t)
	foreign := *txn
	foreign.MerchantID, foreign.Status, foreign.Version = other, "stolen", 3
	stale.Status, stale.Version, stale.EventSeq = "failed", 2, 1
	for _, tc := range []struct {
		name string
		txn  *store.Txn
	}{
		{"stale version", &stale},
		{"another merchant's id", &foreign},
	} {
		err := b.send(t, func(batch *store.Batch) {
			batch.EventInsert(b.merchant, txn.ID, 2, uuid.New(), "toy.before", "", []byte(`{}`))
			batch.TransactionUpdate(tc.txn)
			batch.EventInsert(b.merchant, txn.ID, 3, uuid.New(), "toy.after", "", []byte(`{}`))
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("%s: err = %v, want ErrConflict", tc.name, err)
		}
		got := b.get(t, txn.ID)
		if got.Status != "pending" || got.Version != 2 || got.EventSeq != 1 {
			t.Errorf("%s: row is %s v%d seq %d, want pending v2 seq 1", tc.name, got.Status, got.Version, got.EventSeq)
		}
		if n := b.count(t, `SELECT count(*) FROM transaction_events WHERE transaction_id = $1`, txn.ID); n != 1 {
			t.Errorf("%s: %d events, want only the first write's", tc.name, n)
		}
	}
}

// TestTransactionLockFamily: TransactionLock returns a child with its parent
// (and a transaction without one alone), and only the merchant's own.
func TestTransactionLockFamily(t *testing.T) {
	t.Parallel()
	b := setup(t)
	parent := b.newTxn(t, nil)
	child := b.newTxn(t, &parent.ID)
	other := b.newMerchant(t)
	for _, tc := range []struct {
		name       string
		merchant   uuid.UUID
		id         uuid.UUID
		want, par  uuid.UUID
		wantErr    error
		wantParent bool
	}{
		{name: "child", merchant: b.merchant, id: child.ID, want: child.ID, par: parent.ID, wantParent: true},
		{name: "parent", merchant: b.merchant, id: parent.ID, want: parent.ID},
		{name: "another merchant's", merchant: other, id: child.ID, wantErr: store.ErrNotFound},
		{name: "unknown", merchant: b.merchant, id: uuid.New(), wantErr: store.ErrNotFound},
	} {
		err := b.st.InTx(t.Context(), func(tx pgx.Tx) error {
			got, par, err := store.TransactionLock(t.Context(), tx, tc.merchant, tc.id)
			if err != nil {
				return err
			}
			if got.ID != tc.want {
				t.Errorf("%s: locked %s, want %s", tc.name, got.ID, tc.want)
			}
			switch {
			case tc.wantParent && (par == nil || par.ID != tc.par):
				t.Errorf("%s: parent %+v, want %s", tc.name, par, tc.par)
			case !tc.wantParent && par != nil:
				t.Errorf("%s: parent %s, want none", tc.name, par.ID)
			}
			return nil
		})
		if !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.wantErr)
		}
	}
}

// TestTransactionLockParentFirst: TransactionLock of a child waits for a
// lock held on its parent without holding the child meanwhile: the parent
// is locked first, so two transitions of one family never deadlock.
func TestTransactionLockParentFirst(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	parent := b.newTxn(t, nil)
	child := b.newTxn(t, &parent.ID)

	holder, err := b.st.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Rollback(ctx) }()
	if _, _, err := store.TransactionLock(ctx, holder, b.merchant, parent.ID); err != nil {
		t.Fatal(err)
	}

	pid := make(chan uint32, 1)
	done := make(chan error, 1)
	go func() {
		done <- b.st.InTx(ctx, func(tx pgx.Tx) error {
			pid <- tx.Conn().PgConn().PID()
			got, par, err := store.TransactionLock(ctx, tx, b.merchant, child.ID)
			if err == nil && (got.ID != child.ID || par == nil || par.ID != parent.ID) {
				return fmt.Errorf("locked %+v with parent %+v", got, par)
			}
			return err
		})
	}()
	waiter := <-pid
	waitForLockWait(t, b, waiter, done)

	// While it waits for the parent, the child is not locked.
	probe, err := b.st.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = probe.Exec(ctx, `SELECT 1 FROM transactions WHERE merchant_id = $1 AND id = $2 FOR UPDATE NOWAIT`, b.merchant, child.ID)
	_ = probe.Rollback(ctx)
	if err != nil {
		t.Errorf("child locked while its parent's lock was awaited (child locked first?): %v", err)
	}

	if err := holder.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("TransactionLock of the child once the parent was free: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("TransactionLock of the child still waiting after the parent's lock was released")
	}
}

// waitForLockWait polls until backend pid waits for a lock, failing the test
// if it finished instead or never waits.
func waitForLockWait(t *testing.T, b *bundle, pid uint32, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("TransactionLock of the child did not wait for its parent's lock (err %v)", err)
		default:
		}
		if b.count(t, `SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, int(pid)) == 1 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("TransactionLock of the child never waited for its parent's lock")
}
