package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Batch queues the writes of one transition: history rows, outbox rows,
// timers and the wake-ups (pg_notify, or after COMMIT through the store's
// Waker), sent to PostgreSQL in a single round trip.
type Batch struct {
	b          pgx.Batch
	notify     bool
	notifyWork bool
	expects    map[int]error // statement index → error when it does not touch exactly one row
}

// QueueExpectOne queues a statement that must affect exactly one row;
// otherwise Send returns errNone.
func (b *Batch) QueueExpectOne(errNone error, sql string, args ...any) {
	if b.expects == nil {
		b.expects = map[int]error{}
	}
	b.expects[b.b.Len()] = errNone
	b.b.Queue(sql, args...)
}

// Queue adds any statement (used for the guarded UPDATE and inserts).
func (b *Batch) Queue(sql string, args ...any) { b.b.Queue(sql, args...) }

// Send runs the batch in tx, in one round trip, and checks every result in
// order: the first failing statement's error, or the error of an expectation
// that did not hold, is returned (and the caller rolls back).
func (b *Batch) Send(ctx context.Context, tx pgx.Tx) error {
	if b.notify {
		wakeOnCommit(tx, &b.b, OutboxChannel)
	}
	if b.notifyWork {
		wakeOnCommit(tx, &b.b, WorkChannel)
	}
	n := b.b.Len()
	if n == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, &b.b)
	for i := 0; i < n; i++ {
		tag, err := br.Exec()
		if err != nil {
			_ = br.Close()
			return err
		}
		if errNone, ok := b.expects[i]; ok && tag.RowsAffected() != 1 {
			_ = br.Close()
			return errNone
		}
	}
	return br.Close()
}
