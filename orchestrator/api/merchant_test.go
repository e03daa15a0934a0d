package api_test

import (
	"net/http"
	"testing"
)

// TestCreateMerchantMakesNoWebhookSecret: secrets belong to endpoints; a
// new merchant gets none, shown or stored.
func TestCreateMerchantMakesNoWebhookSecret(t *testing.T) {
	t.Parallel()
	a := newAdminAPI(t)
	var created map[string]any
	if status := a.do("POST", "/v1/admin/merchants", adminToken, `{"name":"No Secret Shop"}`, &created); status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, created)
	}
	if _, ok := created["webhook_secret"]; ok {
		t.Fatalf("the answer shows a merchant-level webhook secret: %v", created)
	}
	var sealed []byte
	if err := a.st.Pool.QueryRow(t.Context(), `SELECT webhook_secret FROM merchants WHERE id = $1`, created["id"]).Scan(&sealed); err != nil || sealed != nil {
		t.Fatalf("merchants.webhook_secret = %v (%v), want NULL", sealed, err)
	}
}
