package natsauth

import (
	"context"
	"errors"
	"time"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// ErrUnknownKey: no valid key (never existed, revoked, or expired).
var ErrUnknownKey = errors.New("natsauth: unknown, revoked or expired API key")

// Key is a valid API key: its merchant and when it stops working (zero:
// never).
type Key struct {
	MerchantID string
	ExpiresAt  time.Time
}

// Keys finds the valid key whose hash (secret.HashAPIKey) is hash;
// ErrUnknownKey when there is none.
type Keys interface {
	Lookup(ctx context.Context, hash []byte) (Key, error)
}

// StoreKeys looks keys up in PostgreSQL by their hash, on every call.
type StoreKeys struct{ Store *store.Store }

// Lookup implements Keys.
func (s StoreKeys) Lookup(ctx context.Context, hash []byte) (Key, error) {
	k, err := s.Store.APIKeyGet(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return Key{}, ErrUnknownKey
	}
	if err != nil {
		return Key{}, err
	}
	return Key{MerchantID: k.MerchantID.String(), ExpiresAt: k.ExpiresAt}, nil
}
