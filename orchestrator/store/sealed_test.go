package store_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// TestSealedValuesSkipMerchantsWithoutWebhookSecret: merchants made since
// secrets belong to endpoints have no merchant-level secret; the legacy
// re-sealing pass lists only the merchants that do (a NULL would open
// neither bound nor unbound and be logged as tampered at every start).
func TestSealedValuesSkipMerchantsWithoutWebhookSecret(t *testing.T) {
	t.Parallel()
	b := setup(t) // its merchant has a legacy secret
	id := uuid.New()
	if err := b.st.MerchantCreate(t.Context(), &store.MerchantCreateParams{ID: id, Name: "New Shop",
		APIKeyHash: []byte(id.String()), APIKeyPrefix: "sk_" + id.String()[:8]}); err != nil {
		t.Fatal(err)
	}
	vals, err := b.st.SealedValues(t.Context(), "webhook_secret")
	if err != nil || len(vals) != 1 || vals[0].MerchantID != b.merchant {
		t.Fatalf("sealed merchant webhook secrets: %+v %v, want only the legacy merchant's", vals, err)
	}
}
