package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// WebhookWork is the payload of a webhook_delivery work item.
type WebhookWork struct {
	DeliveryID uuid.UUID `json:"delivery_id"`
	EndpointID uuid.UUID `json:"endpoint_id"`
}

// WebhookEndpointsEnabled returns a merchant's live, enabled endpoints (id,
// filters and creation time only: what the dispatcher matches events
// against). One read of the webhook_endpoints_live index.
func (s *Store) WebhookEndpointsEnabled(ctx context.Context, merchantID uuid.UUID) ([]WebhookEndpoint, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, event_types, created_at FROM webhook_endpoints
		WHERE merchant_id = $1 AND deleted_at IS NULL AND status = 'enabled'`, merchantID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (WebhookEndpoint, error) {
		e := WebhookEndpoint{MerchantID: merchantID}
		err := r.Scan(&e.ID, &e.EventTypes, &e.CreatedAt)
		return e, err
	})
}

// WebhookDeliveryInsert queues a delivery of an event to an endpoint and,
// only when the delivery is new, its work item (due now). A redelivered
// event meets webhook_deliveries_once and creates nothing.
func (b *Batch) WebhookDeliveryInsert(d WebhookDelivery) {
	b.b.Queue(`WITH d AS (
			INSERT INTO webhook_deliveries (merchant_id, id, endpoint_id, event_id, event_type, transaction_id, payload,
				next_attempt_at, event_time)
			VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8)
			ON CONFLICT ON CONSTRAINT webhook_deliveries_once DO NOTHING
			RETURNING merchant_id, id, endpoint_id)
		INSERT INTO work_items (kind, merchant_id, payload)
		SELECT $9, merchant_id, jsonb_build_object('delivery_id', id, 'endpoint_id', endpoint_id) FROM d`,
		d.MerchantID, d.ID, d.EndpointID, d.EventID, d.EventType, d.TransactionID, d.Payload, d.EventTime, WorkWebhookDelivery)
	b.notifyWork = true
}

// WebhookClaim is a claimed webhook_delivery item with its endpoint's
// limits.
type WebhookClaim struct {
	WorkItem
	EndpointID    uuid.UUID
	MaxInFlight   int
	RatePerSecond int
}

// WebhookWorkClaim claims up to limit available webhook_delivery items,
// oldest first, at most room[endpoint] of an endpoint named in room (0:
// none) and at most min(max_in_flight, rate_per_second) of any other: an
// endpoint at its concurrency or rate limit is not claimed at all, so its
// backlog never takes the place of another endpoint's work. The candidates
// are the 4×limit oldest available items of the endpoints with room.
// Leases and fencing as WorkClaim.
func (s *Store) WebhookWorkClaim(ctx context.Context, limit int, lease time.Duration, holder int32,
	room map[uuid.UUID]int) ([]WebhookClaim, error) {
	ids, rooms := make([]uuid.UUID, 0, len(room)), make([]int32, 0, len(room))
	for id, n := range room {
		ids, rooms = append(ids, id), append(rooms, int32(n))
	}
	rows, err := s.Pool.Query(ctx, `WITH c AS (
			SELECT merchant_id, id, available_at, (payload->>'endpoint_id')::uuid AS endpoint_id FROM work_items
			WHERE kind = $3 AND available_at <= now()
				AND NOT ((payload->>'endpoint_id')::uuid = ANY (SELECT i FROM unnest($5::uuid[], $6::int[]) r(i, n) WHERE n <= 0))
			ORDER BY available_at, id LIMIT $1 * 4 FOR UPDATE SKIP LOCKED),
		r AS (SELECT c.merchant_id, c.id, c.available_at, c.endpoint_id,
				coalesce(e.max_in_flight, 1) AS max_in_flight, coalesce(e.rate_per_second, 1) AS rate_per_second,
				row_number() OVER (PARTITION BY c.endpoint_id ORDER BY c.available_at, c.id) AS k,
				coalesce((SELECT n FROM unnest($5::uuid[], $6::int[]) r(i, n) WHERE i = c.endpoint_id),
					least(e.max_in_flight, e.rate_per_second), 1) AS room
			FROM c LEFT JOIN webhook_endpoints e ON e.merchant_id = c.merchant_id AND e.id = c.endpoint_id),
		p AS (SELECT * FROM r WHERE k <= room ORDER BY available_at, id LIMIT $1)
		UPDATE work_items w SET attempt = w.attempt + 1, available_at = now() + $2::interval,
			claimed_by = NULLIF($4::integer, 0)
		FROM p WHERE w.merchant_id = p.merchant_id AND w.id = p.id
		RETURNING w.kind, w.id, w.merchant_id, w.attempt, w.payload, p.endpoint_id, p.max_in_flight, p.rate_per_second`,
		limit, lease.String(), WorkWebhookDelivery, holder, ids, rooms)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (WebhookClaim, error) {
		var w WebhookClaim
		err := r.Scan(&w.Kind, &w.ID, &w.MerchantID, &w.Attempt, &w.Payload, &w.EndpointID, &w.MaxInFlight, &w.RatePerSecond)
		return w, err
	})
}

// WebhookTarget is what an attempt needs: the delivery and its endpoint
// (deleted or disabled ones included, so that the attempt can say why it
// was not sent).
type WebhookTarget struct {
	Delivery WebhookDelivery
	Endpoint WebhookEndpoint
}

// WebhookTargetGet reads a delivery and its endpoint.
func (s *Store) WebhookTargetGet(ctx context.Context, merchantID, deliveryID uuid.UUID) (*WebhookTarget, error) {
	var t WebhookTarget
	d, e := &t.Delivery, &t.Endpoint
	err := s.Pool.QueryRow(ctx, `SELECT d.merchant_id, d.id, d.endpoint_id, d.event_id, d.event_type, d.transaction_id, d.payload, d.status,
			d.attempts, d.event_time, d.created_at,
			e.id, e.url, e.secret_sealed, e.previous_secret_sealed, e.previous_secret_expires_at, e.status,
			e.failing_since, e.deleted_at, e.max_in_flight, e.rate_per_second
		FROM webhook_deliveries d JOIN webhook_endpoints e ON e.merchant_id = d.merchant_id AND e.id = d.endpoint_id
		WHERE d.merchant_id = $1 AND d.id = $2`, merchantID, deliveryID).Scan(
		&d.MerchantID, &d.ID, &d.EndpointID, &d.EventID, &d.EventType, &d.TransactionID, &d.Payload, &d.Status, &d.Attempts,
		&d.EventTime, &d.CreatedAt,
		&e.ID, &e.URL, &e.SecretSealed, &e.PreviousSecretSealed, &e.PreviousSecretExpiresAt, &e.Status,
		&e.FailingSince, &e.DeletedAt, &e.MaxInFlight, &e.RatePerSecond)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	e.MerchantID = d.MerchantID
	return &t, err
}

// WebhookAttemptInsert queues an attempt row.
func (b *Batch) WebhookAttemptInsert(a WebhookAttempt) {
	b.b.Queue(`INSERT INTO webhook_attempts (merchant_id, delivery_id, attempt, started_at, latency_ms, status_code,
		response_head, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		a.MerchantID, a.DeliveryID, a.Attempt, a.StartedAt, a.LatencyMS, a.StatusCode, a.ResponseHead, a.Error)
}

// WebhookDeliveryUpdate queues a delivery's state after an attempt; with
// retryIn, the next attempt is due after it by the database's clock (the
// work queue's), else there is none.
func (b *Batch) WebhookDeliveryUpdate(d WebhookDelivery, retryIn *time.Duration) {
	var in *string
	if retryIn != nil {
		s := retryIn.String()
		in = &s
	}
	b.b.Queue(`UPDATE webhook_deliveries SET status = $3, attempts = $4, next_attempt_at = now() + $5::interval,
		last_status = $6, last_error = $7, delivered_at = $8, updated_at = now() WHERE merchant_id = $1 AND id = $2`,
		d.MerchantID, d.ID, d.Status, d.Attempts, in, d.LastStatus, d.LastError, d.DeliveredAt)
}

// WebhookEndpointHealthy queues the clearing of an endpoint's failing_since
// (a delivery succeeded).
func (b *Batch) WebhookEndpointHealthy(merchantID, endpointID uuid.UUID) {
	b.b.Queue(`UPDATE webhook_endpoints SET failing_since = NULL
		WHERE merchant_id = $1 AND id = $2 AND failing_since IS NOT NULL`, merchantID, endpointID)
}

// WebhookEndpointFailing queues setting an endpoint's failing_since to at,
// unless it is already set.
func (b *Batch) WebhookEndpointFailing(merchantID, endpointID uuid.UUID, at time.Time) {
	b.b.Queue(`UPDATE webhook_endpoints SET failing_since = $3
		WHERE merchant_id = $1 AND id = $2 AND failing_since IS NULL`, merchantID, endpointID, at)
}

// WebhookEndpointDisable queues disabling a live, enabled endpoint with
// reason and, only when this statement is the one that disabled it, the
// outbox row of its webhook_endpoint.disabled event (r; its payload is
// built by the caller). An endpoint already disabled or deleted is left as
// it is and no event is written.
func (b *Batch) WebhookEndpointDisable(merchantID, endpointID uuid.UUID, reason string, r OutboxRow) {
	b.b.Queue(`WITH e AS (UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = $3, updated_at = now()
			WHERE merchant_id = $1 AND id = $2 AND status = 'enabled' AND deleted_at IS NULL RETURNING merchant_id)
		INSERT INTO outbox (merchant_id, partition, partition_key, subject, msg_id, payload)
		SELECT merchant_id, $4, $5, $6, $7, $8 FROM e`,
		merchantID, endpointID, reason, PartitionOf(r.PartitionKey), r.PartitionKey, r.Subject, r.MsgID, r.Payload)
	b.notify = true
}

// WorkRetryIn queues handing claim w back, due after in (by the
// database's clock); Send returns ErrLeaseLost when the claim is no longer
// the item's.
func (b *Batch) WorkRetryIn(w WorkItem, in time.Duration) {
	b.QueueExpectOne(ErrLeaseLost, `UPDATE work_items SET available_at = now() + $4::interval, claimed_by = NULL
		WHERE merchant_id = $3 AND id = $1 AND attempt = $2`, w.ID, w.Attempt, w.MerchantID, in.String())
}

// ParseWebhookWork decodes a webhook_delivery item's payload.
func ParseWebhookWork(w WorkItem) (WebhookWork, error) {
	var p WebhookWork
	err := json.Unmarshal(w.Payload, &p)
	return p, err
}
