package store_test

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// TestMerchantProviderSettings: a merchant's provider settings (not
// secret, keyed by provider) are written with it and read back by every
// merchant read; a merchant without any reads an empty set.
func TestMerchantProviderSettings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if m, err := b.st.MerchantGet(t.Context(), b.merchant); err != nil || len(m.ProviderSettings) != 0 {
		t.Fatalf("merchant without settings: %+v, %v", m, err)
	}
	id := uuid.New()
	utility := json.RawMessage(`{"retry_schedule":["1s"],"dual_message":true}`)
	err := b.st.MerchantCreate(t.Context(), &store.MerchantCreateParams{ID: id, Name: "Utility Shop",
		APIKeyHash: []byte(id.String()), APIKeyPrefix: "sk_" + id.String()[:8], WebhookSecret: []byte{0},
		ProviderSettings: map[string]json.RawMessage{"utility": utility}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := b.st.MerchantGet(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	_ = json.Unmarshal(m.ProviderSettings["utility"], &got)
	_ = json.Unmarshal(utility, &want)
	if len(m.ProviderSettings) != 1 || got["dual_message"] != true || len(got) != len(want) {
		t.Fatalf("settings %s, want utility %s", m.ProviderSettings, utility)
	}
	byKey, err := b.st.MerchantGetByAPIKeyHash(t.Context(), []byte(id.String()))
	if err != nil || string(byKey.ProviderSettings["utility"]) != string(m.ProviderSettings["utility"]) {
		t.Fatalf("by API key: %+v, %v", byKey, err)
	}
}
