package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Merchant is a merchant row. WebhookSecret is the sealed merchant-level
// secret of merchants made before secrets belonged to webhook endpoints
// (nil for the others); nothing uses it.
type Merchant struct {
	ID              uuid.UUID
	Name            string
	WebhookSecret   []byte
	ConfirmDeadline time.Duration
	// BatchCutoff ("HH:MM") and BatchTimeZone (IANA) are when its daily
	// settlement batch closes (see orchestrator/charge/settle).
	BatchCutoff   string
	BatchTimeZone string
	// ProviderSettings are its settings per provider (not secret), as
	// given at creation: the lifecycles read their provider's.
	ProviderSettings map[string]json.RawMessage
	CreatedAt        time.Time
}

// MerchantCreateParams creates a merchant, its first API key and its
// provider accounts.
type MerchantCreateParams struct {
	ID              uuid.UUID
	Name            string
	APIKeyHash      []byte
	APIKeyPrefix    string
	WebhookSecret   []byte            // sealed; nil (NULL): none, as for every merchant made now
	ConfirmDeadline time.Duration     // 0 = default
	Accounts        map[string][]byte // provider → sealed credentials
	BatchCutoff     string            // "HH:MM"; "" = the column's default
	BatchTimeZone   string            // IANA; "" = the column's default
	// ProviderSettings are the merchant's settings per provider (not
	// secret); nil: none.
	ProviderSettings map[string]json.RawMessage
	// Timers are the merchant's own timers, set in the same commit (its
	// batch cut-off).
	Timers []MerchantTimer
}

// MerchantTimer is a timer owned by a merchant.
type MerchantTimer struct {
	Kind string
	Due  time.Time
}

// MerchantCreate inserts a merchant with its API key and its provider
// accounts in one transaction.
func (s *Store) MerchantCreate(ctx context.Context, p *MerchantCreateParams) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		deadline := p.ConfirmDeadline
		if deadline <= 0 {
			deadline = 15 * time.Minute
		}
		settings, err := providerSettingsJSON(p.ProviderSettings)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO merchants (id, name, webhook_secret, confirm_deadline, batch_cutoff, batch_time_zone,
				provider_settings)
			VALUES ($1, $2, $3, make_interval(secs => $4), coalesce(nullif($5, ''), '00:00'), coalesce(nullif($6, ''), 'UTC'), $7)`,
			p.ID, p.Name, p.WebhookSecret, deadline.Seconds(), p.BatchCutoff, p.BatchTimeZone, settings); err != nil {
			return err
		}
		var b Batch
		for _, t := range p.Timers {
			b.OwnerTimerSet(p.ID, OwnerMerchant, p.ID, t.Kind, t.Due, 0)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO api_keys (merchant_id, key_hash, prefix) VALUES ($1, $2, $3)`,
			p.ID, p.APIKeyHash, p.APIKeyPrefix); err != nil {
			return err
		}
		for prov, creds := range p.Accounts {
			if _, err := tx.Exec(ctx, `INSERT INTO provider_accounts (merchant_id, provider, credentials) VALUES ($1, $2, $3)`,
				p.ID, prov, creds); err != nil {
				return err
			}
		}
		return b.Send(ctx, tx)
	})
}

// providerSettingsJSON is the provider_settings column's value of s.
func providerSettingsJSON(s map[string]json.RawMessage) ([]byte, error) {
	if len(s) == 0 {
		return []byte(`{}`), nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("provider settings: %w", err)
	}
	return b, nil
}

const merchantCols = `m.id, m.name, m.webhook_secret, extract(epoch from m.confirm_deadline)::float8,
	m.batch_cutoff, m.batch_time_zone, m.provider_settings, m.created_at`

func scanMerchant(row pgx.Row) (*Merchant, error) {
	var m Merchant
	var secs float64
	var settings []byte
	err := row.Scan(&m.ID, &m.Name, &m.WebhookSecret, &secs, &m.BatchCutoff, &m.BatchTimeZone, &settings, &m.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	m.ConfirmDeadline = time.Duration(secs * float64(time.Second))
	if err := json.Unmarshal(settings, &m.ProviderSettings); err != nil {
		return nil, fmt.Errorf("merchant %s provider settings: %w", m.ID, err)
	}
	return &m, nil
}

// MerchantGetByAPIKeyHash finds the merchant owning a valid API key (not
// revoked, not expired); ErrNotFound otherwise.
func (s *Store) MerchantGetByAPIKeyHash(ctx context.Context, hash []byte) (*Merchant, error) {
	return scanMerchant(s.Pool.QueryRow(ctx, `SELECT `+merchantCols+` FROM api_keys k JOIN merchants m ON m.id = k.merchant_id
		WHERE k.key_hash = $1 AND `+validKey, hash))
}

// MerchantGet finds a merchant by id.
func (s *Store) MerchantGet(ctx context.Context, id uuid.UUID) (*Merchant, error) {
	return scanMerchant(s.Pool.QueryRow(ctx, merchantByID, id))
}

const merchantByID = `SELECT ` + merchantCols + ` FROM merchants m WHERE m.id = $1`

// MerchantGetTx finds a merchant by id inside tx: code that runs inside a
// transaction never takes a second pooled connection.
func MerchantGetTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) (*Merchant, error) {
	return scanMerchant(tx.QueryRow(ctx, merchantByID, id))
}

// ProviderAccountGet returns a merchant's sealed credentials at a provider.
func (s *Store) ProviderAccountGet(ctx context.Context, merchantID uuid.UUID, provider string) ([]byte, error) {
	var creds []byte
	err := s.Pool.QueryRow(ctx, `SELECT credentials FROM provider_accounts WHERE merchant_id = $1 AND provider = $2`,
		merchantID, provider).Scan(&creds)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	return creds, err
}
