package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// CommandsOf lists the command records that name a merchant's transaction
// (accepted and rejected), oldest first.
func (s *Store) CommandsOf(ctx context.Context, merchantID, txnID uuid.UUID) ([]Command, error) {
	rows, err := s.Pool.Query(ctx, `SELECT merchant_id, id, type, data_hash, transaction_id, outcome,
			coalesce(reason_code, ''), coalesce(reason_field, ''), coalesce(reason_message, ''), created_at
		FROM commands WHERE merchant_id = $1 AND transaction_id = $2 ORDER BY created_at, id`, merchantID, txnID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Command, error) {
		var c Command
		err := r.Scan(&c.MerchantID, &c.ID, &c.Type, &c.DataHash, &c.TransactionID, &c.Outcome,
			&c.ReasonCode, &c.ReasonField, &c.ReasonMessage, &c.CreatedAt)
		return c, err
	})
}

// Related is a transaction linked to another (its parent or a child).
type Related struct {
	ID        uuid.UUID
	Type      string
	Status    string
	Amount    decimal.Decimal
	Currency  string
	CreatedAt time.Time
}

// ChildrenOf lists a merchant's transaction's children (refunds of
// a charge, holds of a consent, payments on a code), oldest first, at most
// limit.
func (s *Store) ChildrenOf(ctx context.Context, merchantID, id uuid.UUID, limit int) ([]Related, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, type, status, amount::text, currency, created_at FROM transactions
		WHERE merchant_id = $1 AND parent_id = $2 ORDER BY created_at, id LIMIT $3`, merchantID, id, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Related, error) {
		var c Related
		var amount string
		if err := r.Scan(&c.ID, &c.Type, &c.Status, &amount, &c.Currency, &c.CreatedAt); err != nil {
			return c, err
		}
		d, err := decimal.NewFromString(amount)
		c.Amount = d
		return c, err
	})
}

// TimerPending is a durable timer still set on a transaction.
type TimerPending struct {
	Kind    string
	DueAt   time.Time
	Attempt int
}

// TimersOf lists the timers still set on a merchant's transaction.
func (s *Store) TimersOf(ctx context.Context, merchantID, txnID uuid.UUID) ([]TimerPending, error) {
	rows, err := s.Pool.Query(ctx, `SELECT kind, due_at, attempt FROM timers
		WHERE merchant_id = $1 AND owner_id = $2 ORDER BY due_at`, merchantID, txnID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TimerPending, error) {
		var p TimerPending
		err := r.Scan(&p.Kind, &p.DueAt, &p.Attempt)
		return p, err
	})
}

// WebhookAttemptOf is one attempt to deliver one of a transaction's events.
type WebhookAttemptOf struct {
	DeliveryID uuid.UUID
	EndpointID uuid.UUID
	EventID    uuid.UUID
	EventType  string
	WebhookAttempt
}

// WebhookAttemptsOfEvents lists the attempts to deliver a merchant's events
// eventIDs, in the order they started.
func (s *Store) WebhookAttemptsOfEvents(ctx context.Context, merchantID uuid.UUID, eventIDs []uuid.UUID) ([]WebhookAttemptOf, error) {
	if len(eventIDs) == 0 {
		return nil, nil
	}
	rows, err := s.Pool.Query(ctx, `SELECT d.id, d.endpoint_id, d.event_id, d.event_type, a.attempt, a.started_at, a.latency_ms,
			a.status_code, a.response_head, a.error
		FROM webhook_deliveries d JOIN webhook_attempts a ON a.merchant_id = d.merchant_id AND a.delivery_id = d.id
		WHERE d.merchant_id = $1 AND d.event_id = ANY($2) ORDER BY a.started_at, a.attempt`, merchantID, eventIDs)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (WebhookAttemptOf, error) {
		var a WebhookAttemptOf
		err := r.Scan(&a.DeliveryID, &a.EndpointID, &a.EventID, &a.EventType, &a.Attempt, &a.StartedAt, &a.LatencyMS,
			&a.StatusCode, &a.ResponseHead, &a.Error)
		a.MerchantID, a.WebhookAttempt.DeliveryID = merchantID, a.DeliveryID
		return a, err
	})
}
