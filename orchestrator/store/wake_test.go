package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// recordingWaker is a store.Waker that remembers what it was asked to wake.
type recordingWaker struct {
	mu    sync.Mutex
	woken []string
}

func (w *recordingWaker) Wake(channel string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.woken = append(w.woken, channel)
}

func (w *recordingWaker) Subscribe(string, chan<- struct{}) (func(), error) { return func() {}, nil }

func (w *recordingWaker) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.woken
	w.woken = nil
	return out
}

func outboxRow(m uuid.UUID) store.OutboxRow {
	return store.OutboxRow{MerchantID: m, PartitionKey: "k", Subject: "pay.evt." + m.String() + ".x", MsgID: uuid.NewString(), Payload: []byte(`{}`)}
}

// With a Waker, a batch's wake-ups leave after COMMIT, once per channel,
// never on a rollback, and no pg_notify is sent.
func TestWakerWakesAfterCommitOnly(t *testing.T) {
	b := setup(t)
	ctx := t.Context()

	// A LISTEN on the same database sees any pg_notify the store sends.
	lc, err := b.st.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lc.Release()
	if _, err := lc.Exec(ctx, "LISTEN "+store.OutboxChannel); err != nil {
		t.Fatal(err)
	}

	w := &recordingWaker{}
	b.st.SetWaker(w)

	var during []string
	err = b.st.InTx(ctx, func(tx pgx.Tx) error {
		var batch store.Batch
		batch.OutboxInsert(outboxRow(b.merchant))
		batch.OutboxInsert(outboxRow(b.merchant))
		if err := batch.Send(ctx, tx); err != nil {
			return err
		}
		during = w.take() // before COMMIT
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(during) != 0 {
		t.Errorf("woken before COMMIT: %v", during)
	}
	if got := w.take(); len(got) != 1 || got[0] != store.OutboxChannel {
		t.Errorf("woken after COMMIT: %v, want [%s] once", got, store.OutboxChannel)
	}

	rollback := errors.New("roll back")
	err = b.st.InTx(ctx, func(tx pgx.Tx) error {
		var batch store.Batch
		batch.OutboxInsert(outboxRow(b.merchant))
		if err := batch.Send(ctx, tx); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatalf("InTx = %v, want the rollback", err)
	}
	if got := w.take(); len(got) != 0 {
		t.Errorf("woken after a rollback: %v", got)
	}

	wctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if n, err := lc.Conn().WaitForNotification(wctx); err == nil {
		t.Errorf("pg_notify was sent with a Waker set: %+v", n)
	}
}

// Without a Waker, the batch notifies with pg_notify, in the transaction.
func TestNoWakerNotifiesInTransaction(t *testing.T) {
	b := setup(t)
	ctx := t.Context()
	lc, err := b.st.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lc.Release()
	if _, err := lc.Exec(ctx, "LISTEN "+store.OutboxChannel); err != nil {
		t.Fatal(err)
	}
	if err := b.send(t, func(batch *store.Batch) { batch.OutboxInsert(outboxRow(b.merchant)) }); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	n, err := lc.Conn().WaitForNotification(wctx)
	if err != nil {
		t.Fatalf("no pg_notify without a Waker: %v", err)
	}
	if n.Channel != store.OutboxChannel {
		t.Errorf("notified %q, want %q", n.Channel, store.OutboxChannel)
	}
}
