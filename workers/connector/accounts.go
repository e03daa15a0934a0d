package connector

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Deps is what connectors need of the orchestrator: the store (merchants'
// provider accounts) and the sealer (credentials and sealed details).
type Deps struct {
	Store  *store.Store
	Sealer *secret.Sealer
}

// Accounts loads merchants' provider credentials, sealed at rest, and keeps
// them in memory once opened (provider accounts do not change while a
// merchant exists).
type Accounts[T any] struct {
	deps     Deps
	provider string
	cache    sync.Map // merchant uuid → T
}

// NewAccounts returns the credential loader of provider.
func NewAccounts[T any](deps Deps, provider string) *Accounts[T] {
	return &Accounts[T]{deps: deps, provider: provider}
}

// Get returns merchant's credentials at the provider.
func (a *Accounts[T]) Get(ctx context.Context, merchant uuid.UUID) (T, error) {
	var zero T
	if c, ok := a.cache.Load(merchant); ok {
		return c.(T), nil
	}
	sealed, err := a.deps.Store.ProviderAccountGet(ctx, merchant, a.provider)
	if err != nil {
		return zero, fmt.Errorf("%s credentials: %w", a.provider, err)
	}
	plain, err := a.deps.Sealer.Open(sealed, secret.ProviderAccountAAD(merchant.String(), a.provider))
	if err != nil {
		return zero, fmt.Errorf("%s credentials: %w", a.provider, err)
	}
	var c T
	if err := json.Unmarshal(plain, &c); err != nil {
		return zero, fmt.Errorf("%s credentials: %w", a.provider, err)
	}
	a.cache.Store(merchant, c)
	return c, nil
}

// Prepare loads merchant's credentials (Connector.Prepare).
func (a *Accounts[T]) Prepare(ctx context.Context, merchant uuid.UUID) error {
	_, err := a.Get(ctx, merchant)
	return err
}
