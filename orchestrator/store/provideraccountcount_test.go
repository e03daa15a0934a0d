package store_test

import (
	"maps"
	"testing"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

// TestProviderAccountCounts: how many merchants have an account with each
// provider; a provider nobody has an account with is absent.
func TestProviderAccountCounts(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st, err := store.Open(ctx, schematest.NewDB(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	check := func(want map[string]int) {
		t.Helper()
		got, err := st.ProviderAccountCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, want) {
			t.Fatalf("counts %v, want %v", got, want)
		}
	}
	check(map[string]int{})
	for i, accounts := range []map[string][]byte{
		{"onoconnect": {1}, "processone": {2}},
		{"onoconnect": {3}},
		{},
	} {
		id := uuid.New()
		if err := st.MerchantCreate(ctx, &store.MerchantCreateParams{ID: id, Name: "Shop", APIKeyHash: id[:],
			APIKeyPrefix: "sk_" + id.String()[:8], WebhookSecret: []byte{byte(i)}, Accounts: accounts}); err != nil {
			t.Fatal(err)
		}
	}
	check(map[string]int{"onoconnect": 2, "processone": 1})
}
