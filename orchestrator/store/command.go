package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Command is an idempotency record.
type Command struct {
	MerchantID    uuid.UUID
	ID            string
	Type          string
	DataHash      []byte
	TransactionID *uuid.UUID
	Outcome       string // accepted | rejected
	ReasonCode    string
	ReasonField   string
	ReasonMessage string
	CreatedAt     time.Time
}

// Command outcomes.
const (
	OutcomeAccepted = "accepted"
	OutcomeRejected = "rejected"
)

// CommandInsert queues the idempotency record of a command; Send returns
// errExists when one with this id is already recorded.
func (b *Batch) CommandInsert(c *Command, errExists error) {
	b.QueueExpectOne(errExists, `INSERT INTO commands (merchant_id, id, type, data_hash, transaction_id, outcome,
		reason_code, reason_field, reason_message) VALUES ($1, $2, $3, $4, $5, $6, nullif($7, ''), nullif($8, ''), nullif($9, ''))
		ON CONFLICT (merchant_id, id) DO NOTHING`,
		c.MerchantID, c.ID, c.Type, c.DataHash, c.TransactionID, c.Outcome, c.ReasonCode, c.ReasonField, c.ReasonMessage)
}

// CommandGet loads an idempotency record.
func (s *Store) CommandGet(ctx context.Context, merchantID uuid.UUID, id string) (*Command, error) {
	var c Command
	err := s.Pool.QueryRow(ctx, `SELECT merchant_id, id, type, data_hash, transaction_id, outcome, coalesce(reason_code, ''),
		coalesce(reason_field, ''), coalesce(reason_message, ''), created_at FROM commands WHERE merchant_id = $1 AND id = $2`,
		merchantID, id).Scan(&c.MerchantID, &c.ID, &c.Type, &c.DataHash, &c.TransactionID, &c.Outcome,
		&c.ReasonCode, &c.ReasonField, &c.ReasonMessage, &c.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &c, err
}
