package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// WorkChannel is the LISTEN/NOTIFY channel woken by every new work item.
const WorkChannel = "switchyard_work"

// ErrLeaseLost is returned when a work item is no longer held by the claim
// that asks: its lease ran out and another worker claimed it, or the work
// was cancelled or finished. Nothing is written.
var ErrLeaseLost = errors.New("work item lease lost")

// Kinds of work: the queue is one table, keyed by kind, each kind with its
// own workers.
const (
	// WorkProviderCall is a provider call a transition asked for.
	WorkProviderCall = "provider_call"
)

// WorkItem is a provider call to make.
type WorkItem struct {
	Kind          string
	ID            int64
	TransactionID uuid.UUID
	MerchantID    uuid.UUID
	Provider      string
	Op            string
	ByReference   bool
	// Recover: an earlier item of this operation may have reached the
	// provider (its result was unknown), so even the first claim follows
	// the operation's recovery rule instead of calling.
	Recover bool
	Version int
	Attempt int // the claim's fencing token: 1 on the first claim
	// SentAttempt is the attempt that last recorded the call as sent, as it
	// was when this claim was made; 0 means no attempt ever reached the
	// provider, so the call is certain not to have been made.
	SentAttempt int
	// Payload is what a kind other than provider_call needs (a webhook
	// delivery's id, …); those kinds have no transaction (TransactionID is
	// uuid.Nil).
	Payload []byte
}

// WorkInsert queues a work item and the NOTIFY that wakes the workers.
func (b *Batch) WorkInsert(w WorkItem) {
	kind := w.Kind
	if kind == "" {
		kind = WorkProviderCall
	}
	var txn *uuid.UUID
	if w.TransactionID != uuid.Nil {
		txn = &w.TransactionID
	}
	payload := w.Payload
	if len(payload) == 0 {
		payload = []byte(`{}`)
	}
	b.b.Queue(`INSERT INTO work_items (kind, transaction_id, merchant_id, provider, operation, by_reference, version, payload, recover)
		VALUES ($7, $1, $2, $3, $4, $5, $6, $8, $9)`, txn, w.MerchantID, w.Provider, w.Op, w.ByReference, w.Version, kind, payload, w.Recover)
	b.notifyWork = true
}

// WorkFinish queues the removal of a work item by its own claim; Send
// returns ErrLeaseLost when the claim is no longer the item's.
func (b *Batch) WorkFinish(w WorkItem) {
	b.QueueExpectOne(ErrLeaseLost, `DELETE FROM work_items WHERE merchant_id = $3 AND id = $1 AND attempt = $2`,
		w.ID, w.Attempt, w.MerchantID)
}

// WorkCancelUnsent removes the transaction's work items for op that no
// attempt has sent, and reports whether it removed any. A worker that had
// claimed one finds it gone when it tries to record the call as sent, so the
// call is never made.
func WorkCancelUnsent(ctx context.Context, tx pgx.Tx, merchantID, txnID uuid.UUID, op string) (bool, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM work_items
		WHERE merchant_id = $3 AND transaction_id = $1 AND operation = $2 AND sent_attempt = 0`, txnID, op, merchantID)
	return tag.RowsAffected() > 0, err
}

// WorkClaim claims up to limit available work items of kind, oldest first, leasing
// them for lease: another worker sees them again only when the lease runs
// out (the worker died) or, sooner, when holder's advisory lock is free
// (WorkReclaimOrphans; holder 0 names no holder). Each claim bumps attempt,
// the fencing token every later write of the claim is checked against.
func (s *Store) WorkClaim(ctx context.Context, kind string, limit int, lease time.Duration, holder int32) ([]WorkItem, error) {
	rows, err := s.Pool.Query(ctx, `UPDATE work_items w SET attempt = w.attempt + 1, available_at = now() + $2::interval,
			claimed_by = NULLIF($4::integer, 0)
		FROM (SELECT merchant_id, id FROM work_items WHERE kind = $3 AND available_at <= now()
			ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) c
		WHERE w.merchant_id = c.merchant_id AND w.id = c.id
		RETURNING w.kind, w.id, coalesce(w.transaction_id, '00000000-0000-0000-0000-000000000000'), w.merchant_id,
			w.provider, w.operation, w.by_reference, w.version, w.attempt, w.sent_attempt, w.payload, w.recover`,
		limit, lease.String(), kind, holder)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (WorkItem, error) {
		var w WorkItem
		err := r.Scan(&w.Kind, &w.ID, &w.TransactionID, &w.MerchantID, &w.Provider, &w.Op, &w.ByReference, &w.Version,
			&w.Attempt, &w.SentAttempt, &w.Payload, &w.Recover)
		return w, err
	})
}

// WorkBegin records, in one statement, that claim w is about to make its
// call (sent_attempt = w.Attempt), provided the item is still held by that
// claim, and returns the transaction the call is about. ErrLeaseLost means
// the claim is no longer the item's (lease ran out, work cancelled or done):
// the call must not be made.
func (s *Store) WorkBegin(ctx context.Context, w WorkItem) (*Txn, error) {
	t, err := scanTxn(s.Pool.QueryRow(ctx, `WITH w AS (
			UPDATE work_items SET sent_attempt = attempt WHERE merchant_id = $3 AND id = $1 AND attempt = $2
			RETURNING transaction_id)
		SELECT `+txnCols+` FROM transactions WHERE merchant_id = $3 AND id = (SELECT transaction_id FROM w)`,
		w.ID, w.Attempt, w.MerchantID))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrLeaseLost
	}
	return t, err
}

// WorkCheck returns the transaction claim w's call is about, provided the
// item is still held by that claim, recording nothing: for an operation
// that is simply repeated when an attempt may have happened, "sent" need
// not be known, and a read costs no commit. ErrLeaseLost as for WorkBegin.
func (s *Store) WorkCheck(ctx context.Context, w WorkItem) (*Txn, error) {
	t, err := scanTxn(s.Pool.QueryRow(ctx, `SELECT `+txnCols+` FROM transactions WHERE merchant_id = $3
		AND id = (SELECT transaction_id FROM work_items WHERE merchant_id = $3 AND id = $1 AND attempt = $2)`,
		w.ID, w.Attempt, w.MerchantID))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrLeaseLost
	}
	return t, err
}

// WorkRelease hands a claimed item back after delay, by its own claim. With
// unsent, the call is recorded as not made (it was certain not to have left:
// a local failure before sending), so the next claim makes it normally. The
// item no longer names a holder: it waits for its delay, even if this
// worker dies.
func (s *Store) WorkRelease(ctx context.Context, w WorkItem, delay time.Duration, unsent bool) error {
	tag, err := s.Pool.Exec(ctx, `UPDATE work_items SET available_at = now() + $3::interval, claimed_by = NULL,
		sent_attempt = CASE WHEN $4 AND sent_attempt = attempt THEN $5 ELSE sent_attempt END
		WHERE merchant_id = $6 AND id = $1 AND attempt = $2`, w.ID, w.Attempt, delay.String(), unsent, w.SentAttempt, w.MerchantID)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrLeaseLost
	}
	return err
}

// WorkDone removes a work item by its own claim, outside a transition (work
// that is no longer wanted).
func (s *Store) WorkDone(ctx context.Context, w WorkItem) error {
	_, err := s.Pool.Exec(ctx, `DELETE FROM work_items WHERE merchant_id = $3 AND id = $1 AND attempt = $2`,
		w.ID, w.Attempt, w.MerchantID)
	return err
}

// WorkPending counts work items not yet done.
func (s *Store) WorkPending(ctx context.Context) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM work_items`).Scan(&n)
	return n, err
}
