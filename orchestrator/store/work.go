package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// WorkChannel is the LISTEN/NOTIFY channel woken by every new work item.
const WorkChannel = "switchyard_work"

// WorkItem is a provider call to make.
type WorkItem struct {
	ID            int64
	TransactionID uuid.UUID
	MerchantID    uuid.UUID
	Provider      string
	Op            string
	ByReference   bool
	Version       int
	Attempt       int // 1 on the first claim
}

// WorkInsert queues a work item and the NOTIFY that wakes the workers.
func (b *Batch) WorkInsert(w WorkItem) {
	b.b.Queue(`INSERT INTO work_items (transaction_id, merchant_id, provider, operation, by_reference, version)
		VALUES ($1, $2, $3, $4, $5, $6)`, w.TransactionID, w.MerchantID, w.Provider, w.Op, w.ByReference, w.Version)
	b.notifyWork = true
}

// WorkDelete queues the removal of a finished work item.
func (b *Batch) WorkDelete(id int64) {
	b.b.Queue(`DELETE FROM work_items WHERE id = $1`, id)
}

// WorkClaim claims up to limit available work items, oldest first, leasing
// them for lease: another worker sees them again only when the lease runs
// out (the worker died). Each claim counts an attempt.
func (s *Store) WorkClaim(ctx context.Context, limit int, lease time.Duration) ([]WorkItem, error) {
	rows, err := s.Pool.Query(ctx, `UPDATE work_items w SET attempt = w.attempt + 1, available_at = now() + $2::interval
		FROM (SELECT id FROM work_items WHERE available_at <= now() ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) c
		WHERE w.id = c.id
		RETURNING w.id, w.transaction_id, w.merchant_id, w.provider, w.operation, w.by_reference, w.version, w.attempt`,
		limit, lease.String())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (WorkItem, error) {
		var w WorkItem
		err := r.Scan(&w.ID, &w.TransactionID, &w.MerchantID, &w.Provider, &w.Op, &w.ByReference, &w.Version, &w.Attempt)
		return w, err
	})
}

// WorkRelease makes a claimed item available again after delay (its result
// could not be committed).
func (s *Store) WorkRelease(ctx context.Context, id int64, delay time.Duration) error {
	_, err := s.Pool.Exec(ctx, `UPDATE work_items SET available_at = now() + $2::interval WHERE id = $1`, id, delay.String())
	return err
}

// WorkDone removes a work item outside a transition (stale work).
func (s *Store) WorkDone(ctx context.Context, id int64) error {
	_, err := s.Pool.Exec(ctx, `DELETE FROM work_items WHERE id = $1`, id)
	return err
}

// WorkPending counts work items not yet done.
func (s *Store) WorkPending(ctx context.Context) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM work_items`).Scan(&n)
	return n, err
}
