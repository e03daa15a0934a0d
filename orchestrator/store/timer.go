package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Owners of timers: a transaction (its lifecycle's deadlines and retries), a
// merchant (a daily settlement cut-off) or a webhook endpoint.
const (
	OwnerTransaction = "transaction"
	OwnerMerchant    = "merchant"
	OwnerEndpoint    = "endpoint"
)

// Timer is a due timer.
type Timer struct {
	MerchantID uuid.UUID
	OwnerKind  string    // OwnerTransaction, OwnerMerchant, OwnerEndpoint
	OwnerID    uuid.UUID // the transaction, merchant or endpoint
	Kind       string
	DueAt      time.Time
	Attempt    int
	Failures   int // applications of this timer that failed in a row
}

// TimersDue lists up to limit timers due at or before now, earliest first.
func (s *Store) TimersDue(ctx context.Context, now time.Time, limit int) ([]Timer, error) {
	rows, err := s.Pool.Query(ctx, `SELECT merchant_id, owner_kind, owner_id, kind, due_at, attempt, failures FROM timers
		WHERE due_at <= $1 ORDER BY due_at LIMIT $2`, now, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Timer, error) {
		var t Timer
		err := r.Scan(&t.MerchantID, &t.OwnerKind, &t.OwnerID, &t.Kind, &t.DueAt, &t.Attempt, &t.Failures)
		return t, err
	})
}

// TimerPostpone records a failed application of timer t and makes it due
// again at next. It is guarded by the due_at and failure count read with t:
// false means the timer was taken, set anew or postponed by someone else.
func (s *Store) TimerPostpone(ctx context.Context, t Timer, next time.Time) (bool, error) {
	tag, err := s.Pool.Exec(ctx, `UPDATE timers SET due_at = $5, failures = failures + 1
		WHERE merchant_id = $6 AND owner_id = $1 AND kind = $2 AND due_at = $3 AND failures = $4`,
		t.OwnerID, t.Kind, t.DueAt, t.Failures, next, t.MerchantID)
	if err != nil {
		return false, fmt.Errorf("postpone timer %s/%s: %w", t.OwnerID, t.Kind, err)
	}
	return tag.RowsAffected() == 1, nil
}

// TimerTake deletes a due timer inside tx; false means it was already taken
// or rescheduled.
func TimerTake(ctx context.Context, tx pgx.Tx, merchantID, ownerID uuid.UUID, kind string, now time.Time) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `WITH d AS (DELETE FROM timers WHERE merchant_id = $4 AND owner_id = $1 AND kind = $2 AND due_at <= $3
		RETURNING 1) SELECT count(*) FROM d`, ownerID, kind, now, merchantID).Scan(&n)
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

// TimerSet queues the upsert of a transaction's timer.
func (b *Batch) TimerSet(merchantID, txnID uuid.UUID, kind string, due any, attempt int) {
	b.b.Queue(`INSERT INTO timers (merchant_id, owner_kind, owner_id, transaction_id, kind, due_at, attempt)
		VALUES ($5, 'transaction', $1, $1, $2, $3, $4)
		ON CONFLICT (merchant_id, owner_id, kind) DO UPDATE SET due_at = excluded.due_at, attempt = excluded.attempt, failures = 0`,
		txnID, kind, due, attempt, merchantID)
}

// OwnerTimerSet queues the upsert of a timer of a merchant or an endpoint.
func (b *Batch) OwnerTimerSet(merchantID uuid.UUID, ownerKind string, ownerID uuid.UUID, kind string, due time.Time, attempt int) {
	b.b.Queue(`INSERT INTO timers (merchant_id, owner_kind, owner_id, kind, due_at, attempt) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (merchant_id, owner_id, kind) DO UPDATE SET due_at = excluded.due_at, attempt = excluded.attempt, failures = 0`,
		merchantID, ownerKind, ownerID, kind, due, attempt)
}

// TimerCancel queues the removal of a timer.
func (b *Batch) TimerCancel(merchantID, ownerID uuid.UUID, kind string) {
	b.b.Queue(`DELETE FROM timers WHERE merchant_id = $3 AND owner_id = $1 AND kind = $2`, ownerID, kind, merchantID)
}

// TimerAdvance makes timer t, which has fired, due again at next. It is
// guarded by the due_at read with t: false means it was moved (a new
// schedule, a postponement) or advanced by someone else, and nothing
// changed.
func (s *Store) TimerAdvance(ctx context.Context, t Timer, next time.Time) (bool, error) {
	tag, err := s.Pool.Exec(ctx, `UPDATE timers SET due_at = $5, attempt = attempt + 1, failures = 0
		WHERE merchant_id = $1 AND owner_id = $2 AND kind = $3 AND due_at = $4`, t.MerchantID, t.OwnerID, t.Kind, t.DueAt, next)
	if err != nil {
		return false, fmt.Errorf("advance timer %s/%s: %w", t.OwnerID, t.Kind, err)
	}
	return tag.RowsAffected() == 1, nil
}
