package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// APIKeyChannel is the LISTEN/NOTIFY channel told of every rotation and
// revocation of an API key (payload: the merchant id), in the same
// transaction, so that every API instance drops its cached keys.
const APIKeyChannel = "switchyard_api_keys"

// APIKey is a valid API key: its owner and when it stops working (zero when
// it does not expire).
type APIKey struct {
	MerchantID uuid.UUID
	Prefix     string
	ExpiresAt  time.Time
}

// validKey is the condition of a key that still works.
const validKey = `k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`

// APIKeyGet returns the valid key whose hash is hash; ErrNotFound when no key
// has it or it was revoked or has expired.
func (s *Store) APIKeyGet(ctx context.Context, hash []byte) (*APIKey, error) {
	var k APIKey
	var exp *time.Time
	err := s.Pool.QueryRow(ctx, `SELECT k.merchant_id, k.prefix, k.expires_at FROM api_keys k
		WHERE k.key_hash = $1 AND `+validKey, hash).Scan(&k.MerchantID, &k.Prefix, &exp)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("api key: %w", err)
	}
	if exp != nil {
		k.ExpiresAt = *exp
	}
	return &k, nil
}

// APIKeyRotateParams adds a key to a merchant and ends its other keys.
type APIKeyRotateParams struct {
	MerchantID uuid.UUID
	KeyHash    []byte
	Prefix     string
	// Overlap is how long the merchant's other valid keys keep working
	// (0: they stop now). A key that expires sooner keeps its expiry.
	Overlap time.Duration
}

// APIKeyRotate adds the new key and sets the expiry of the merchant's other
// valid keys, in one transaction that notifies APIKeyChannel. It returns
// when the old keys stop working; ErrNotFound when the merchant does not exist.
func (s *Store) APIKeyRotate(ctx context.Context, p *APIKeyRotateParams) (time.Time, error) {
	var until time.Time
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		// The merchant's row lock orders concurrent rotations.
		err := tx.QueryRow(ctx, `SELECT now() + make_interval(secs => $2) FROM merchants WHERE id = $1 FOR UPDATE`,
			p.MerchantID, p.Overlap.Seconds()).Scan(&until)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE api_keys k SET expires_at = $2 WHERE k.merchant_id = $1 AND `+validKey+`
			AND (k.expires_at IS NULL OR k.expires_at > $2)`, p.MerchantID, until); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO api_keys (merchant_id, key_hash, prefix) VALUES ($1, $2, $3)`,
			p.MerchantID, p.KeyHash, p.Prefix); err != nil {
			return err
		}
		return notifyAPIKeys(ctx, tx, p.MerchantID)
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("rotate api key of %s: %w", p.MerchantID, err)
	}
	return until, nil
}

// APIKeyRevoke revokes now the merchant's unrevoked key named prefix, in a
// transaction that notifies APIKeyChannel; ErrNotFound when there is none.
func (s *Store) APIKeyRevoke(ctx context.Context, merchantID uuid.UUID, prefix string) error {
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE api_keys SET revoked_at = now()
			WHERE merchant_id = $1 AND prefix = $2 AND revoked_at IS NULL`, merchantID, prefix)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return notifyAPIKeys(ctx, tx, merchantID)
	})
	if err != nil {
		return fmt.Errorf("revoke api key %s of %s: %w", prefix, merchantID, err)
	}
	return nil
}

func notifyAPIKeys(ctx context.Context, tx pgx.Tx, merchantID uuid.UUID) error {
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, APIKeyChannel, merchantID.String())
	return err
}
