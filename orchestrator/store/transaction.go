package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
)

// Txn is a transactions row.
type Txn struct {
	ID                uuid.UUID
	MerchantID        uuid.UUID
	Type              string
	Status            string
	Provider          string
	Amount            decimal.Decimal
	Currency          string
	Reference         string
	ParentID          *uuid.UUID
	ProviderReference string
	RefundedAmount    decimal.Decimal
	// ReservedAmount is what refunds in progress hold of this transaction
	// (see migration 0008); RefundedAmount + ReservedAmount <= Amount.
	ReservedAmount decimal.Decimal
	Reason         *events.Reason
	Metadata       map[string]string
	Details        map[string]json.RawMessage
	Version        int
	EventSeq       int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

const txnCols = `id, merchant_id, type, status, provider, amount::text, currency, coalesce(reference, ''), parent_id,
	coalesce(provider_reference, ''), refunded_amount::text, reserved_amount::text, reason, metadata, details, version, event_seq, created_at, updated_at`

func scanTxn(row pgx.Row) (*Txn, error) {
	var t Txn
	var amount, refunded, reserved string
	var reason, meta, details []byte
	err := row.Scan(&t.ID, &t.MerchantID, &t.Type, &t.Status, &t.Provider, &amount, &t.Currency, &t.Reference,
		&t.ParentID, &t.ProviderReference, &refunded, &reserved, &reason, &meta, &details, &t.Version, &t.EventSeq,
		&t.CreatedAt, &t.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	t.Amount, _ = decimal.NewFromString(amount)
	t.RefundedAmount, _ = decimal.NewFromString(refunded)
	t.ReservedAmount, _ = decimal.NewFromString(reserved)
	if len(reason) > 0 {
		t.Reason = new(events.Reason)
		if err := json.Unmarshal(reason, t.Reason); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal(meta, &t.Metadata); err != nil {
		return nil, err
	}
	return &t, json.Unmarshal(details, &t.Details)
}

// TransactionInsert queues the insert of a new transaction at version 1.
func (b *Batch) TransactionInsert(t *Txn) {
	b.Queue(`INSERT INTO transactions (id, merchant_id, type, status, provider, amount, currency, reference,
		parent_id, provider_reference, reason, metadata, details, version, event_seq, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6::numeric, $7, nullif($8, ''), $9, nullif($10, ''), $11, $12, $13, $14, $15, $16, $16)`,
		t.ID, t.MerchantID, t.Type, t.Status, t.Provider, t.Amount.String(), t.Currency, t.Reference, t.ParentID,
		t.ProviderReference, reasonJSON(t.Reason), jsonOf(t.Metadata), jsonOf(t.Details), t.Version, t.EventSeq, t.CreatedAt)
}

// TransactionUpdate queues the write of t guarded by its previous version
// (t.Version-1); Send returns ErrConflict when another writer moved first.
func (b *Batch) TransactionUpdate(t *Txn) {
	b.QueueExpectOne(ErrConflict, `UPDATE transactions SET status = $3, provider_reference = nullif($4, ''), reason = $5,
		metadata = $6, details = $7, version = $2, event_seq = $8, updated_at = $9,
		refunded_amount = $10::numeric, reserved_amount = $12::numeric, amount = $13::numeric
		WHERE merchant_id = $11 AND id = $1 AND version = $2 - 1`,
		t.ID, t.Version, t.Status, t.ProviderReference, reasonJSON(t.Reason), jsonOf(t.Metadata), jsonOf(t.Details),
		t.EventSeq, t.UpdatedAt, t.RefundedAmount.String(), t.MerchantID, t.ReservedAmount.String(), t.Amount.String())
}

// TransactionLock loads and locks a merchant's transaction and, when it has
// one, its parent, in a fixed order: the parent first, then the child, so
// that two transactions of one family never lock each other out. parent is
// nil for a transaction without one.
//
// A transaction without a parent (every charge) is one primary-key lookup:
// the filter parent_id IS NULL is applied before the lock, so a child is
// not locked by it and is then locked with its parent, in order, by a
// second statement.
func TransactionLock(ctx context.Context, tx pgx.Tx, merchantID, id uuid.UUID) (t, parent *Txn, err error) {
	t, err = scanTxn(tx.QueryRow(ctx, `SELECT `+txnCols+` FROM transactions
		WHERE merchant_id = $1 AND id = $2 AND parent_id IS NULL FOR UPDATE`, merchantID, id))
	if !errors.Is(err, ErrNotFound) {
		return t, nil, err
	}
	return transactionLockFamily(ctx, tx, merchantID, id)
}

// transactionLockFamily locks a child's parent, then the child.
func transactionLockFamily(ctx context.Context, tx pgx.Tx, merchantID, id uuid.UUID) (t, parent *Txn, err error) {
	// Each row is one equality lookup of the primary key, whatever the
	// table's statistics say (a plan over id = ANY(...) could scan a whole
	// merchant's rows). UNION ALL reads the parent's locking CTE first, so
	// the parent is locked first; a NULL parent_id matches nothing.
	rows, err := tx.Query(ctx, `WITH parent AS (
			SELECT `+txnCols+` FROM transactions
			WHERE merchant_id = $1 AND id = (SELECT parent_id FROM transactions WHERE merchant_id = $1 AND id = $2)
			FOR UPDATE),
		child AS (SELECT `+txnCols+` FROM transactions WHERE merchant_id = $1 AND id = $2 FOR UPDATE)
		SELECT * FROM parent UNION ALL SELECT * FROM child`, merchantID, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanTxn(rows)
		if err != nil {
			return nil, nil, err
		}
		if r.ID == id {
			t = r
		} else {
			parent = r
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if t == nil {
		return nil, nil, ErrNotFound
	}
	return t, parent, nil
}

// TransactionGet loads a merchant's transaction; another merchant's is ErrNotFound.
func (s *Store) TransactionGet(ctx context.Context, merchantID, id uuid.UUID) (*Txn, error) {
	return scanTxn(s.Pool.QueryRow(ctx, `SELECT `+txnCols+` FROM transactions WHERE merchant_id = $1 AND id = $2`, merchantID, id))
}

// TransactionIDByReference finds a merchant's transaction of type typ by its reference.
func TransactionIDByReference(ctx context.Context, tx pgx.Tx, merchantID uuid.UUID, typ, reference string) (uuid.UUID, error) {
	var id uuid.UUID
	err := tx.QueryRow(ctx, `SELECT id FROM transactions WHERE merchant_id = $1 AND type = $2 AND reference = $3`,
		merchantID, typ, reference).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, ErrNotFound
	}
	return id, err
}

// Event is a transaction_events row.
type Event struct {
	Sequence    int
	EventID     uuid.UUID
	Type        string
	CausationID string
	Envelope    json.RawMessage
	CreatedAt   time.Time
}

// TransactionEvents lists a merchant's transaction history in order.
func (s *Store) TransactionEvents(ctx context.Context, merchantID, id uuid.UUID) ([]Event, error) {
	rows, err := s.Pool.Query(ctx, `SELECT e.sequence, e.event_id, e.type, coalesce(e.causation_id, ''), e.envelope, e.created_at
		FROM transaction_events e WHERE e.merchant_id = $2 AND e.transaction_id = $1 ORDER BY e.sequence`, id, merchantID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		err := r.Scan(&e.Sequence, &e.EventID, &e.Type, &e.CausationID, &e.Envelope, &e.CreatedAt)
		return e, err
	})
}

func jsonOf(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings and raw JSON reach here
	}
	return b
}

func reasonJSON(r *events.Reason) []byte {
	if r == nil {
		return nil
	}
	return jsonOf(r)
}

// EventInsert queues a history row.
func (b *Batch) EventInsert(merchantID, txnID uuid.UUID, seq int, eventID uuid.UUID, typ, causation string, envelope []byte) {
	b.b.Queue(`INSERT INTO transaction_events (merchant_id, transaction_id, sequence, event_id, type, causation_id, envelope)
		VALUES ($7, $1, $2, $3, $4, nullif($5, ''), $6)`, txnID, seq, eventID, typ, causation, json.RawMessage(envelope), merchantID)
}
