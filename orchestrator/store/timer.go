package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Timer is a due timer.
type Timer struct {
	TransactionID uuid.UUID
	Kind          string
	DueAt         time.Time
	Attempt       int
	Failures      int // applications of this timer that failed in a row
}

// TimersDue lists up to limit timers due at or before now, earliest first.
func (s *Store) TimersDue(ctx context.Context, now time.Time, limit int) ([]Timer, error) {
	rows, err := s.Pool.Query(ctx, `SELECT transaction_id, kind, due_at, attempt, failures FROM timers
		WHERE due_at <= $1 ORDER BY due_at LIMIT $2`, now, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Timer, error) {
		var t Timer
		err := r.Scan(&t.TransactionID, &t.Kind, &t.DueAt, &t.Attempt, &t.Failures)
		return t, err
	})
}

// TimerPostpone records a failed application of timer t and makes it due
// again at next. It is guarded by the due_at and failure count read with t:
// false means the timer was taken, set anew or postponed by someone else.
func (s *Store) TimerPostpone(ctx context.Context, t Timer, next time.Time) (bool, error) {
	tag, err := s.Pool.Exec(ctx, `UPDATE timers SET due_at = $5, failures = failures + 1
		WHERE transaction_id = $1 AND kind = $2 AND due_at = $3 AND failures = $4`,
		t.TransactionID, t.Kind, t.DueAt, t.Failures, next)
	if err != nil {
		return false, fmt.Errorf("postpone timer %s/%s: %w", t.TransactionID, t.Kind, err)
	}
	return tag.RowsAffected() == 1, nil
}

// TimerTake deletes a due timer inside tx; false means it was already taken
// or rescheduled.
func TimerTake(ctx context.Context, tx pgx.Tx, txnID uuid.UUID, kind string, now time.Time) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `WITH d AS (DELETE FROM timers WHERE transaction_id = $1 AND kind = $2 AND due_at <= $3 RETURNING 1)
		SELECT count(*) FROM d`, txnID, kind, now).Scan(&n)
	return n == 1, err
}

// NextTimerDue returns when the earliest timer is due (zero when none).
func (s *Store) NextTimerDue(ctx context.Context) (time.Time, error) {
	var t *time.Time
	err := s.Pool.QueryRow(ctx, `SELECT min(due_at) FROM timers`).Scan(&t)
	if err != nil || t == nil {
		return time.Time{}, err
	}
	return *t, nil
}

// TimerSet queues the upsert of a timer.
func (b *Batch) TimerSet(txnID uuid.UUID, kind string, due any, attempt int) {
	b.b.Queue(`INSERT INTO timers (transaction_id, kind, due_at, attempt) VALUES ($1, $2, $3, $4)
		ON CONFLICT (transaction_id, kind) DO UPDATE SET due_at = excluded.due_at, attempt = excluded.attempt, failures = 0`,
		txnID, kind, due, attempt)
}

// TimerCancel queues the removal of a timer.
func (b *Batch) TimerCancel(txnID uuid.UUID, kind string) {
	b.b.Queue(`DELETE FROM timers WHERE transaction_id = $1 AND kind = $2`, txnID, kind)
}
