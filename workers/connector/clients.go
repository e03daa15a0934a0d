package connector

import (
	"context"
	"fmt"
	"sync"

	"github.com/google/uuid"
)

// Clients builds one provider client per merchant from the merchant's
// credentials (credentials of type T, a client of type C) and keeps it: a
// provider whose credentials travel with every request (ProcessOne's key in
// the body, OnePipe's signing secret, utility's and codes' headers) gets a
// client bound to them, built once per merchant. A failure to load the
// credentials or to build the client is not kept: it is tried again on the
// next call.
type Clients[T, C any] struct {
	accounts *Accounts[T]
	build    func(T) (C, error)
	mu       sync.Mutex
	cache    map[uuid.UUID]C
}

// NewClients returns the client cache of provider; build makes a client
// from a merchant's credentials (and refuses credentials it cannot use).
func NewClients[T, C any](deps Deps, provider string, build func(T) (C, error)) *Clients[T, C] {
	return &Clients[T, C]{accounts: NewAccounts[T](deps, provider), build: build, cache: map[uuid.UUID]C{}}
}

// Get returns merchant's client, building it on first use.
func (c *Clients[T, C]) Get(ctx context.Context, merchant uuid.UUID) (C, error) {
	c.mu.Lock()
	cl, ok := c.cache[merchant]
	c.mu.Unlock()
	if ok {
		return cl, nil
	}
	var zero C
	cred, err := c.accounts.Get(ctx, merchant)
	if err != nil {
		return zero, err
	}
	cl, err = c.build(cred)
	if err != nil {
		return zero, fmt.Errorf("%s client: %w", c.accounts.provider, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.cache[merchant]; ok {
		return prev, nil // built concurrently: keep one
	}
	c.cache[merchant] = cl
	return cl, nil
}

// Prepare loads merchant's credentials and builds its client
// (Connector.Prepare): a merchant without an account at the provider, or
// with credentials the client refuses, fails here, before anything is
// recorded as sent.
func (c *Clients[T, C]) Prepare(ctx context.Context, merchant uuid.UUID) error {
	_, err := c.Get(ctx, merchant)
	return err
}
