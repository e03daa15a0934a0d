package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// WebhookDeliveryFilter selects deliveries of a merchant; zero fields
// select all.
type WebhookDeliveryFilter struct {
	EventID    uuid.UUID
	EndpointID uuid.UUID
	Status     string
	Limit      int
}

const deliveryCols = `merchant_id, id, endpoint_id, event_id, event_type, transaction_id, status, attempts,
	next_attempt_at, last_status, last_error, event_time, created_at, updated_at, delivered_at`

func scanDelivery(r pgx.CollectableRow) (WebhookDelivery, error) {
	var d WebhookDelivery
	err := r.Scan(&d.MerchantID, &d.ID, &d.EndpointID, &d.EventID, &d.EventType, &d.TransactionID, &d.Status,
		&d.Attempts, &d.NextAttemptAt, &d.LastStatus, &d.LastError, &d.EventTime, &d.CreatedAt, &d.UpdatedAt, &d.DeliveredAt)
	return d, err
}

// WebhookDeliveryList returns a merchant's deliveries matching f, newest
// first (without their payloads).
func (s *Store) WebhookDeliveryList(ctx context.Context, merchantID uuid.UUID, f WebhookDeliveryFilter) ([]WebhookDelivery, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries
		WHERE merchant_id = $1 AND ($2::uuid IS NULL OR event_id = $2) AND ($3::uuid IS NULL OR endpoint_id = $3)
			AND ($4 = '' OR status = $4)
		ORDER BY created_at DESC, id LIMIT $5`, merchantID, nilUUID(f.EventID), nilUUID(f.EndpointID), f.Status, f.Limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanDelivery)
}

func nilUUID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// WebhookDeliveryGet returns one delivery of a merchant (ErrNotFound).
func (s *Store) WebhookDeliveryGet(ctx context.Context, merchantID, id uuid.UUID) (*WebhookDelivery, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries WHERE merchant_id = $1 AND id = $2`,
		merchantID, id)
	if err != nil {
		return nil, err
	}
	d, err := pgx.CollectExactlyOneRow(rows, scanDelivery)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &d, err
}

// WebhookAttemptsOf returns the attempts of a merchant's deliveries, by
// delivery, in attempt order.
func (s *Store) WebhookAttemptsOf(ctx context.Context, merchantID uuid.UUID, deliveryIDs []uuid.UUID) (map[uuid.UUID][]WebhookAttempt, error) {
	rows, err := s.Pool.Query(ctx, `SELECT merchant_id, delivery_id, attempt, started_at, latency_ms, status_code,
			response_head, error
		FROM webhook_attempts WHERE merchant_id = $1 AND delivery_id = ANY($2) ORDER BY delivery_id, attempt`,
		merchantID, deliveryIDs)
	if err != nil {
		return nil, err
	}
	as, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (WebhookAttempt, error) {
		var a WebhookAttempt
		err := r.Scan(&a.MerchantID, &a.DeliveryID, &a.Attempt, &a.StartedAt, &a.LatencyMS, &a.StatusCode,
			&a.ResponseHead, &a.Error)
		return a, err
	})
	out := make(map[uuid.UUID][]WebhookAttempt, len(deliveryIDs))
	for _, a := range as {
		out[a.DeliveryID] = append(out[a.DeliveryID], a)
	}
	return out, err
}

// WebhookDeliveryRetry asks for a new attempt of a merchant's delivery now:
// a delivered or failed one goes back to pending with a new work item; a
// pending one has its next attempt brought forward to now (should an
// attempt be in flight, its lease is lost and the new claim sends again,
// with the same webhook-id). ErrNotFound for another merchant's.
func (s *Store) WebhookDeliveryRetry(ctx context.Context, merchantID, id uuid.UUID) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var endpoint uuid.UUID
		err := tx.QueryRow(ctx, `SELECT endpoint_id FROM webhook_deliveries WHERE merchant_id = $1 AND id = $2 FOR UPDATE`,
			merchantID, id).Scan(&endpoint)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var b Batch
		b.b.Queue(`UPDATE work_items SET available_at = now() WHERE merchant_id = $1 AND kind = $3
			AND payload->>'delivery_id' = $2::text AND available_at > now()`, merchantID, id, WorkWebhookDelivery)
		b.queueRequeue(`merchant_id = $1 AND id = $2 AND status <> 'pending'`, merchantID, id)
		return b.Send(ctx, tx)
	})
}

// queueRequeue queues turning the deliveries matched by where (its
// arguments args) back to pending, due now, each with a new work item.
func (b *Batch) queueRequeue(where string, args ...any) {
	b.b.Queue(`WITH d AS (UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), updated_at = now()
			WHERE `+where+` RETURNING merchant_id, id, endpoint_id)
		INSERT INTO work_items (kind, merchant_id, payload)
		SELECT '`+WorkWebhookDelivery+`', merchant_id, jsonb_build_object('delivery_id', id, 'endpoint_id', endpoint_id) FROM d`,
		args...)
	b.notifyWork = true
}

// WebhookEndpointReplay gives every failed delivery of a merchant's
// endpoint created since since a new attempt now, and returns how many.
// ErrNotFound when the endpoint is not the merchant's (or deleted).
func (s *Store) WebhookEndpointReplay(ctx context.Context, merchantID, endpointID uuid.UUID, since time.Time) (int, error) {
	var n int
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var live bool
		err := tx.QueryRow(ctx, `SELECT deleted_at IS NULL FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2`,
			merchantID, endpointID).Scan(&live)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !live) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `WITH d AS (UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(),
				updated_at = now()
				WHERE merchant_id = $1 AND endpoint_id = $2 AND status = 'failed' AND created_at >= $3
				RETURNING merchant_id, id, endpoint_id),
			w AS (INSERT INTO work_items (kind, merchant_id, payload)
				SELECT $4, merchant_id, jsonb_build_object('delivery_id', id, 'endpoint_id', endpoint_id) FROM d RETURNING 1)
			SELECT count(*) FROM w`, merchantID, endpointID, since, WorkWebhookDelivery).Scan(&n)
		if err != nil {
			return err
		}
		var b Batch
		b.notifyWork = n > 0
		return b.Send(ctx, tx)
	})
	return n, err
}
