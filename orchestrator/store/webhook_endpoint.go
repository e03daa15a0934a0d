package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Webhook endpoint statuses (webhook_endpoints.status).
const (
	WebhookEndpointEnabled  = "enabled"
	WebhookEndpointDisabled = "disabled"
)

// WebhookEndpointCreateParams is a new endpoint. Its id is derived from the
// merchant's Idempotency-Key, so a repeat of the request names the same row.
type WebhookEndpointCreateParams struct {
	MerchantID    uuid.UUID
	ID            uuid.UUID
	URL           string
	Description   string
	EventTypes    []string
	SecretSealed  []byte
	MaxInFlight   int
	RatePerSecond int
	// RequestHash is the SHA-256 of the request as understood: a repeat
	// with another body is told apart by it.
	RequestHash []byte
}

// WebhookEndpointCreated is what WebhookEndpointCreate found or made.
type WebhookEndpointCreated struct {
	Endpoint *WebhookEndpoint // as stored (deleted since, perhaps, on a repeat)
	// Created is false when the id existed: a repeat of the request that
	// made it, or a reuse of its key.
	Created bool
	// RequestHash is the stored request's hash (nil for a row without one).
	RequestHash []byte
}

const webhookEndpointCols = `merchant_id, id, url, description, event_types, secret_sealed, previous_secret_sealed,
	previous_secret_expires_at, status, disabled_reason, failing_since, max_in_flight, rate_per_second,
	created_at, updated_at, deleted_at`

func scanWebhookEndpoint(row pgx.Row, extra ...any) (*WebhookEndpoint, error) {
	var e WebhookEndpoint
	dest := append([]any{&e.MerchantID, &e.ID, &e.URL, &e.Description, &e.EventTypes, &e.SecretSealed,
		&e.PreviousSecretSealed, &e.PreviousSecretExpiresAt, &e.Status, &e.DisabledReason, &e.FailingSince,
		&e.MaxInFlight, &e.RatePerSecond, &e.CreatedAt, &e.UpdatedAt, &e.DeletedAt}, extra...)
	err := row.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// WebhookEndpointCreate inserts an endpoint unless its id exists for the
// merchant; then it returns the stored row and request hash instead (the
// caller compares the hashes).
func (s *Store) WebhookEndpointCreate(ctx context.Context, p *WebhookEndpointCreateParams) (*WebhookEndpointCreated, error) {
	types := p.EventTypes
	if types == nil {
		types = []string{}
	}
	ep, err := scanWebhookEndpoint(s.Pool.QueryRow(ctx, `INSERT INTO webhook_endpoints (merchant_id, id, url, description,
			event_types, secret_sealed, max_in_flight, rate_per_second, request_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (merchant_id, id) DO NOTHING
		RETURNING `+webhookEndpointCols,
		p.MerchantID, p.ID, p.URL, p.Description, types, p.SecretSealed, p.MaxInFlight, p.RatePerSecond, p.RequestHash))
	if err == nil {
		return &WebhookEndpointCreated{Endpoint: ep, Created: true, RequestHash: p.RequestHash}, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("create webhook endpoint: %w", err)
	}
	// The id exists: rows are never removed (deletion is soft), so it is
	// still there to read.
	found, err := s.WebhookEndpointFind(ctx, p.MerchantID, p.ID)
	if err != nil {
		return nil, fmt.Errorf("read existing webhook endpoint: %w", err)
	}
	return found, nil
}

// WebhookEndpointFind returns a merchant's endpoint, deleted or not, with
// the hash of the request that created it (Created is false); ErrNotFound
// if there is none.
func (s *Store) WebhookEndpointFind(ctx context.Context, merchantID, id uuid.UUID) (*WebhookEndpointCreated, error) {
	var hash []byte
	ep, err := scanWebhookEndpoint(s.Pool.QueryRow(ctx, `SELECT `+webhookEndpointCols+`, request_hash
		FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2`, merchantID, id), &hash)
	if err != nil {
		return nil, err
	}
	return &WebhookEndpointCreated{Endpoint: ep, RequestHash: hash}, nil
}

// WebhookEndpointGet returns a merchant's live (not deleted) endpoint;
// ErrNotFound otherwise.
func (s *Store) WebhookEndpointGet(ctx context.Context, merchantID, id uuid.UUID) (*WebhookEndpoint, error) {
	return scanWebhookEndpoint(s.Pool.QueryRow(ctx, `SELECT `+webhookEndpointCols+` FROM webhook_endpoints
		WHERE merchant_id = $1 AND id = $2 AND deleted_at IS NULL`, merchantID, id))
}

// WebhookEndpointList returns a merchant's live endpoints, newest first.
func (s *Store) WebhookEndpointList(ctx context.Context, merchantID uuid.UUID) ([]*WebhookEndpoint, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+webhookEndpointCols+` FROM webhook_endpoints
		WHERE merchant_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC`, merchantID)
	if err != nil {
		return nil, fmt.Errorf("list webhook endpoints: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*WebhookEndpoint, error) { return scanWebhookEndpoint(r) })
	if err != nil {
		return nil, fmt.Errorf("list webhook endpoints: %w", err)
	}
	return out, nil
}

// WebhookEndpointDelete deletes a merchant's live endpoint: its row stays
// (its deliveries refer to it) with deleted_at set, and it is neither
// listed nor delivered to any more. ErrNotFound if there is none.
func (s *Store) WebhookEndpointDelete(ctx context.Context, merchantID, id uuid.UUID) error {
	tag, err := s.Pool.Exec(ctx, `UPDATE webhook_endpoints SET deleted_at = now(), updated_at = now()
		WHERE merchant_id = $1 AND id = $2 AND deleted_at IS NULL`, merchantID, id)
	if err != nil {
		return fmt.Errorf("delete webhook endpoint: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// WebhookEndpointRotate makes sealed the live endpoint's current secret and
// keeps the one it replaces as the previous secret until now + overlap
// (both are sealed under the same associated data). A previous secret of
// an earlier rotation is dropped. ErrNotFound if there is no such endpoint.
func (s *Store) WebhookEndpointRotate(ctx context.Context, merchantID, id uuid.UUID, sealed []byte, overlap time.Duration) (*WebhookEndpoint, error) {
	return scanWebhookEndpoint(s.Pool.QueryRow(ctx, `UPDATE webhook_endpoints
		SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = now() + make_interval(secs => $4),
			secret_sealed = $3, updated_at = now()
		WHERE merchant_id = $1 AND id = $2 AND deleted_at IS NULL
		RETURNING `+webhookEndpointCols, merchantID, id, sealed, overlap.Seconds()))
}

// WebhookEndpointSetStatus enables or disables a live endpoint. Enabling
// clears the disabled reason and failing_since (its health starts afresh);
// disabling records reason, unless it is disabled already (the first reason
// is kept). ErrNotFound if there is no such endpoint.
func (s *Store) WebhookEndpointSetStatus(ctx context.Context, merchantID, id uuid.UUID, status, reason string) (*WebhookEndpoint, error) {
	var q string
	switch status {
	case WebhookEndpointEnabled:
		q = `UPDATE webhook_endpoints SET status = 'enabled', disabled_reason = '', failing_since = NULL, updated_at = now()
			WHERE merchant_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ` + webhookEndpointCols
	case WebhookEndpointDisabled:
		q = `UPDATE webhook_endpoints SET status = 'disabled', updated_at = now(),
				disabled_reason = CASE WHEN status = 'disabled' THEN disabled_reason ELSE $3 END
			WHERE merchant_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ` + webhookEndpointCols
	default:
		return nil, fmt.Errorf("webhook endpoint status %q: neither enabled nor disabled", status)
	}
	args := []any{merchantID, id}
	if status == WebhookEndpointDisabled {
		args = append(args, reason)
	}
	return scanWebhookEndpoint(s.Pool.QueryRow(ctx, q, args...))
}
