package merchant

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// MaxOverlap bounds how long a rotated-out key may keep working.
const MaxOverlap = 30 * 24 * time.Hour

// ErrNotFound is returned for an unknown merchant or key prefix.
var ErrNotFound = errors.New("not found")

// prefixLen is how many characters of a key name it: "sk_" and 9 random
// characters (54 of its 192 bits), so that a merchant's keys do not collide.
const prefixLen = 12

func keyPrefix(key string) string { return key[:prefixLen] }

// RotatedKey is the answer to a rotation: the new key is shown once.
type RotatedKey struct {
	MerchantID string `json:"merchant_id"`
	APIKey     string `json:"api_key"`
	Prefix     string `json:"prefix"`
	// PreviousKeysExpireAt is when the keys that were valid before stop working.
	PreviousKeysExpireAt time.Time `json:"previous_keys_expire_at"`
}

// ParseOverlap reads an overlap such as "24h" ("" is none); errors are
// *events.FieldError.
func ParseOverlap(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || d > MaxOverlap {
		return 0, events.Invalid("overlap", "must be a duration between 0s and 720h, such as \"24h\"")
	}
	return d, nil
}

// RotateKey issues a new API key for a merchant; its other valid keys keep
// working for overlap (0: they stop now). Every API instance is told.
func RotateKey(ctx context.Context, st *store.Store, merchantID uuid.UUID, overlap time.Duration) (*RotatedKey, error) {
	if overlap < 0 || overlap > MaxOverlap {
		return nil, events.Invalid("overlap", "must be a duration between 0s and 720h")
	}
	key, hash := secret.NewAPIKey()
	until, err := st.APIKeyRotate(ctx, &store.APIKeyRotateParams{MerchantID: merchantID, KeyHash: hash,
		Prefix: keyPrefix(key), Overlap: overlap})
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("merchant %s: %w", merchantID, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &RotatedKey{MerchantID: merchantID.String(), APIKey: key, Prefix: keyPrefix(key),
		PreviousKeysExpireAt: until.UTC()}, nil
}

// RevokeKey revokes now the merchant's key named prefix. Every API instance
// is told.
func RevokeKey(ctx context.Context, st *store.Store, merchantID uuid.UUID, prefix string) error {
	err := st.APIKeyRevoke(ctx, merchantID, prefix)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("merchant %s has no unrevoked key %q: %w", merchantID, prefix, ErrNotFound)
	}
	return err
}
