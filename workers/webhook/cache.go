package webhook

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// endpointCache keeps each merchant's enabled endpoints for ttl, so that a
// burst of events costs one read per merchant and ttl (a merchant without
// endpoints included). ttl < 0: no cache.
type endpointCache struct {
	st  *store.Store
	ttl time.Duration

	mu      sync.Mutex
	entries map[uuid.UUID]cacheEntry
}

type cacheEntry struct {
	endpoints []store.WebhookEndpoint
	at        time.Time
}

func newEndpointCache(st *store.Store, ttl time.Duration) *endpointCache {
	return &endpointCache{st: st, ttl: ttl, entries: map[uuid.UUID]cacheEntry{}}
}

func (c *endpointCache) get(ctx context.Context, merchant uuid.UUID) ([]store.WebhookEndpoint, error) {
	now := time.Now()
	if c.ttl > 0 {
		c.mu.Lock()
		e, ok := c.entries[merchant]
		c.mu.Unlock()
		if ok && now.Sub(e.at) < c.ttl {
			return e.endpoints, nil
		}
	}
	eps, err := c.st.WebhookEndpointsEnabled(ctx, merchant)
	if err != nil {
		return nil, err
	}
	if c.ttl > 0 {
		c.mu.Lock()
		c.entries[merchant] = cacheEntry{endpoints: eps, at: now}
		c.prune(now)
		c.mu.Unlock()
	}
	return eps, nil
}

// prune drops stale entries once the map grows (held lock).
func (c *endpointCache) prune(now time.Time) {
	if len(c.entries) < 4096 {
		return
	}
	for id, e := range c.entries {
		if now.Sub(e.at) >= c.ttl {
			delete(c.entries, id)
		}
	}
}
