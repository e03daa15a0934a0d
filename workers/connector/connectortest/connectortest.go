// Package connectortest sets up what a connector's tests need: a migrated
// PostgreSQL database (schematest; the test package's TestMain must call
// schematest.Main) and merchants whose provider accounts are sealed the way
// the admin API seals them.
package connectortest

import (
	"crypto/rand"
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
	"github.com/switchyard/switchyard/workers/connector"
)

// Deps returns connector dependencies over a fresh database and a random
// instance key.
func Deps(t testing.TB) connector.Deps {
	t.Helper()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	sealer, err := secret.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	return connector.Deps{Store: st, Sealer: sealer}
}

// Merchant creates a merchant with accounts (provider → credentials JSON
// object) through merchant.Create and returns its id.
func Merchant(t testing.TB, deps connector.Deps, accounts map[string]string) uuid.UUID {
	t.Helper()
	spec := merchant.Spec{Name: "Shop", Providers: map[string]json.RawMessage{}}
	for p, creds := range accounts {
		spec.Providers[p] = json.RawMessage(creds)
	}
	m, err := merchant.Create(t.Context(), deps.Store, deps.Sealer, spec)
	if err != nil {
		t.Fatal(err)
	}
	return uuid.MustParse(m.ID)
}
