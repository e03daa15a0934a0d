package api

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/secret"
)

// keyCache holds the API keys this instance has checked: hash → merchant.
// An entry lives until the key expires or ttl passes, whichever is first,
// and every entry is dropped when a key is rotated or revoked anywhere
// (store.ListenAPIKeys), so a revoked key is refused within a notification's
// delay, and within ttl even when a notification is missed.
type keyCache struct {
	ttl     time.Duration
	mu      sync.RWMutex
	gen     uint64 // bumped by clear: a lookup begun before a clear is not cached
	entries map[string]cachedKey
}

type cachedKey struct {
	merchant uuid.UUID
	until    time.Time
}

func newKeyCache(ttl time.Duration) *keyCache {
	return &keyCache{ttl: ttl, entries: map[string]cachedKey{}}
}

// get returns the merchant of a cached, unexpired key and the generation a
// lookup from the database must pass to put.
func (c *keyCache) get(hash []byte, now time.Time) (uuid.UUID, uint64, bool) {
	c.mu.RLock()
	e, ok := c.entries[string(hash)]
	gen := c.gen
	c.mu.RUnlock()
	if ok && now.Before(e.until) {
		return e.merchant, gen, true
	}
	return uuid.Nil, gen, false
}

// put caches a key read from the database unless the cache was cleared
// since the read began (gen): the read may predate a revocation.
func (c *keyCache) put(hash []byte, merchant uuid.UUID, expires time.Time, gen uint64, now time.Time) {
	until := now.Add(c.ttl)
	if !expires.IsZero() && expires.Before(until) {
		until = expires
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		c.entries[string(hash)] = cachedKey{merchant: merchant, until: until}
	}
}

// clear drops every entry.
func (c *keyCache) clear() {
	c.mu.Lock()
	c.gen++
	clear(c.entries)
	c.mu.Unlock()
}

// authenticate returns the merchant owning a valid API key;
// store.ErrNotFound when the key is unknown, revoked or expired.
func (a *API) authenticate(ctx context.Context, key string) (uuid.UUID, error) {
	hash := secret.HashAPIKey(key)
	now := time.Now()
	id, gen, ok := a.keys.get(hash, now)
	if ok {
		return id, nil
	}
	k, err := a.cfg.Engine.Store().APIKeyGet(ctx, hash)
	if err != nil {
		return uuid.Nil, err
	}
	a.keys.put(hash, k.MerchantID, k.ExpiresAt, gen, now)
	return k.MerchantID, nil
}
