package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// MerchantSettlementUpdate changes a merchant's batch cut-off and time zone
// and moves its timer, in one commit: change is given the current schedule,
// under the merchant's row lock, and returns the new one and the timer.
// ErrNotFound when there is no such merchant; change's error is returned as
// it is.
func (s *Store) MerchantSettlementUpdate(ctx context.Context, id uuid.UUID,
	change func(cur MerchantSchedule) (MerchantSchedule, MerchantTimer, error)) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		cur := MerchantSchedule{ID: id}
		err := tx.QueryRow(ctx, `SELECT batch_cutoff, batch_time_zone FROM merchants WHERE id = $1 FOR UPDATE`, id).
			Scan(&cur.BatchCutoff, &cur.BatchTimeZone)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("settlement of merchant %s: %w", id, err)
		}
		next, t, err := change(cur)
		if err != nil {
			return err
		}
		var b Batch
		b.Queue(`UPDATE merchants SET batch_cutoff = $2, batch_time_zone = $3 WHERE id = $1`, id, next.BatchCutoff, next.BatchTimeZone)
		b.OwnerTimerSet(id, OwnerMerchant, id, t.Kind, t.Due, 0)
		return b.Send(ctx, tx)
	})
}

// MerchantSchedule is a merchant's batch cut-off and time zone.
type MerchantSchedule struct {
	ID            uuid.UUID
	BatchCutoff   string
	BatchTimeZone string
}

// MerchantsWithoutTimer lists the merchants that have no timer of kind.
func (s *Store) MerchantsWithoutTimer(ctx context.Context, kind string) ([]MerchantSchedule, error) {
	rows, err := s.Pool.Query(ctx, `SELECT m.id, m.batch_cutoff, m.batch_time_zone FROM merchants m
		WHERE NOT EXISTS (SELECT 1 FROM timers t WHERE t.merchant_id = m.id AND t.owner_id = m.id AND t.kind = $1)`, kind)
	if err != nil {
		return nil, fmt.Errorf("merchants without a %s timer: %w", kind, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (MerchantSchedule, error) {
		var m MerchantSchedule
		err := r.Scan(&m.ID, &m.BatchCutoff, &m.BatchTimeZone)
		return m, err
	})
}

// MerchantTimersAdd sets a timer of kind for each merchant of due (merchant
// → due time) that has none, in one statement, and returns how many it set.
func (s *Store) MerchantTimersAdd(ctx context.Context, kind string, due map[uuid.UUID]time.Time) (int, error) {
	ids, dues := make([]uuid.UUID, 0, len(due)), make([]time.Time, 0, len(due))
	for id, d := range due {
		ids, dues = append(ids, id), append(dues, d)
	}
	tag, err := s.Pool.Exec(ctx, `INSERT INTO timers (merchant_id, owner_kind, owner_id, kind, due_at, attempt)
		SELECT u.id, $1, u.id, $2, u.due, 0 FROM unnest($3::uuid[], $4::timestamptz[]) AS u(id, due)
		ON CONFLICT (merchant_id, owner_id, kind) DO NOTHING`, OwnerMerchant, kind, ids, dues)
	if err != nil {
		return 0, fmt.Errorf("add %s timers: %w", kind, err)
	}
	return int(tag.RowsAffected()), nil
}

// TxnKey is a transaction's place in a listing by creation: (created_at, id).
type TxnKey struct {
	CreatedAt time.Time
	ID        uuid.UUID
}

// TransactionsCreatedByParams lists a merchant's transactions of a type in
// a status created at or before By, after After, Limit at a time.
type TransactionsCreatedByParams struct {
	MerchantID   uuid.UUID
	Type, Status string
	By           time.Time
	After        TxnKey // zero: from the first
	Limit        int
}

// TransactionsCreatedBy lists, oldest first, the transactions p asks for
// (migration 0009 indexes a merchant's succeeded charges for it).
func (s *Store) TransactionsCreatedBy(ctx context.Context, p *TransactionsCreatedByParams) ([]TxnKey, error) {
	rows, err := s.Pool.Query(ctx, `SELECT created_at, id FROM transactions
		WHERE merchant_id = $1 AND type = $2 AND status = $3 AND created_at <= $4 AND (created_at, id) > ($5, $6)
		ORDER BY created_at, id LIMIT $7`, p.MerchantID, p.Type, p.Status, p.By, p.After.CreatedAt, p.After.ID, p.Limit)
	if err != nil {
		return nil, fmt.Errorf("transactions of merchant %s to settle: %w", p.MerchantID, err)
	}
	return collectKeys(rows)
}

// TransactionChildrenParams lists a merchant's children in status Status
// whose parent is in one of ParentStatuses, after After, Limit at a time.
type TransactionChildrenParams struct {
	MerchantID     uuid.UUID
	Status         string
	ParentStatuses []string
	After          TxnKey
	Limit          int
}

// TransactionChildren lists, oldest first, the children p asks for
// (migration 0009 indexes a merchant's deferred transactions for it).
func (s *Store) TransactionChildren(ctx context.Context, p *TransactionChildrenParams) ([]TxnKey, error) {
	rows, err := s.Pool.Query(ctx, `SELECT c.created_at, c.id FROM transactions c
		JOIN transactions p ON p.merchant_id = c.merchant_id AND p.id = c.parent_id
		WHERE c.merchant_id = $1 AND c.status = $2 AND p.status = ANY($3) AND (c.created_at, c.id) > ($4, $5)
		ORDER BY c.created_at, c.id LIMIT $6`, p.MerchantID, p.Status, p.ParentStatuses, p.After.CreatedAt, p.After.ID, p.Limit)
	if err != nil {
		return nil, fmt.Errorf("children of merchant %s: %w", p.MerchantID, err)
	}
	return collectKeys(rows)
}

func collectKeys(rows pgx.Rows) ([]TxnKey, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TxnKey, error) {
		var k TxnKey
		err := r.Scan(&k.CreatedAt, &k.ID)
		return k, err
	})
}
