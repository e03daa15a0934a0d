package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
)

// secondAPI starts another instance with the api role on e's database and NATS.
func (e *env) secondAPI(t *testing.T) string {
	t.Helper()
	cfg := e.cfg
	cfg.Roles = []string{"api"}
	n, err := startNode(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.stop)
	return "http://" + n.httpAddr
}

// authStatus is the status of an authenticated read on base with key:
// 404 (no such transaction) when the key is accepted, 401 when refused.
func (e *env) authStatus(base, key string) int {
	e.t.Helper()
	saved := e.base
	defer func() { e.base = saved }()
	e.base = base
	return e.do("GET", "/v1/transactions/"+uuid.NewString(), key, "", "", nil)
}

// waitAuth polls until key gets want on base, within limit.
func (e *env) waitAuth(base, key string, want int, limit time.Duration, what string) {
	e.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		got := e.authStatus(base, key)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: %s answered %d after %v, want %d", what, base, got, limit, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type rotated struct {
	APIKey string `json:"api_key"`
	Prefix string `json:"prefix"`
}

// TestAPIKeyRotateAndRevokeAcrossInstances: two API instances share the
// database; a key cached by both and revoked through one is refused by the
// other within a second; a rotated key works at once and the old one stops
// when its overlap ends.
func TestAPIKeyRotateAndRevokeAcrossInstances(t *testing.T) {
	e := newEnvRoles(t, []string{"api"})
	a, b := e.base, e.secondAPI(t)
	m := e.newMerchant("15m")
	old := m.apiKey
	for _, base := range []string{a, b} {
		if got := e.authStatus(base, old); got != http.StatusNotFound {
			t.Fatalf("%s: first key answered %d", base, got)
		}
	}

	var r rotated
	if code := e.do("POST", "/v1/admin/merchants/"+m.id+"/api-keys", "admin-token", "", `{"overlap":"2s"}`, &r); code != http.StatusCreated || r.APIKey == "" || r.Prefix == "" {
		t.Fatalf("rotate: %d %+v", code, r)
	}
	rotatedAt := time.Now()
	for _, base := range []string{a, b} {
		for _, key := range []string{old, r.APIKey} {
			if got := e.authStatus(base, key); got != http.StatusNotFound {
				t.Fatalf("%s: during the overlap a key answered %d", base, got)
			}
		}
	}
	for _, base := range []string{a, b} {
		e.waitAuth(base, old, http.StatusUnauthorized, time.Until(rotatedAt.Add(3*time.Second)), "old key after its overlap")
		if got := e.authStatus(base, r.APIKey); got != http.StatusNotFound {
			t.Fatalf("%s: new key answered %d", base, got)
		}
	}

	if code := e.do("DELETE", "/v1/admin/merchants/"+m.id+"/api-keys/"+r.Prefix, "admin-token", "", "", nil); code != http.StatusNoContent {
		t.Fatalf("revoke: %d", code)
	}
	e.waitAuth(b, r.APIKey, http.StatusUnauthorized, time.Second, "revoked through the other instance")
	e.waitAuth(a, r.APIKey, http.StatusUnauthorized, time.Second, "revoked through this instance")

	if code := e.do("DELETE", "/v1/admin/merchants/"+m.id+"/api-keys/"+r.Prefix, "admin-token", "", "", nil); code != http.StatusNotFound {
		t.Fatalf("revoking a revoked key: %d, want 404", code)
	}
	if code := e.do("POST", "/v1/admin/merchants/"+m.id+"/api-keys", "", "", `{}`, nil); code != http.StatusUnauthorized {
		t.Fatalf("rotate without the admin token: %d", code)
	}
	if code := e.do("POST", "/v1/admin/merchants/"+uuid.NewString()+"/api-keys", "admin-token", "", `{}`, nil); code != http.StatusNotFound {
		t.Fatalf("rotate for an unknown merchant: %d", code)
	}
	if code := e.do("POST", "/v1/admin/merchants/"+m.id+"/api-keys", "admin-token", "", `{"overlap":"soon"}`, nil); code != http.StatusBadRequest {
		t.Fatalf("rotate with a bad overlap: %d", code)
	}
}

// TestMerchantKeyCommands: `merchant revoke-key` and `merchant rotate-key`
// change the keys of a running instance, which refuses them within a second.
func TestMerchantKeyCommands(t *testing.T) {
	e := newEnvRoles(t, []string{"api"})
	var created struct {
		ID     string `json:"id"`
		APIKey string `json:"api_key"`
		Prefix string `json:"api_key_prefix"`
	}
	if code := e.do("POST", "/v1/admin/merchants", "admin-token", "", `{"name":"Shop"}`, &created); code != http.StatusCreated || created.Prefix == "" {
		t.Fatalf("create merchant: %d %+v", code, created)
	}
	db := []string{"--database-url", e.cfg.DatabaseURL}
	var second rotated
	if code := e.do("POST", "/v1/admin/merchants/"+created.ID+"/api-keys", "admin-token", "", `{"overlap":"1h"}`, &second); code != http.StatusCreated {
		t.Fatalf("rotate: %d", code)
	}
	e.waitAuth(e.base, created.APIKey, http.StatusNotFound, time.Second, "first key in its overlap")

	err := runMerchant(t.Context(), append([]string{"revoke-key", "--merchant", created.ID, "--prefix", created.Prefix}, db...))
	if err != nil {
		t.Fatalf("revoke-key: %v", err)
	}
	e.waitAuth(e.base, created.APIKey, http.StatusUnauthorized, time.Second, "key revoked by the command")
	e.waitAuth(e.base, second.APIKey, http.StatusNotFound, time.Second, "the other key")

	if err := runMerchant(t.Context(), append([]string{"rotate-key", "--merchant", created.ID}, db...)); err != nil {
		t.Fatalf("rotate-key: %v", err)
	}
	e.waitAuth(e.base, second.APIKey, http.StatusUnauthorized, time.Second, "key rotated out with no overlap")

	for _, args := range [][]string{
		{"rotate-key", "--merchant", created.ID, "--overlap", "soon"},
		{"rotate-key", "--merchant", "not-a-uuid"},
		{"rotate-key", "--merchant", uuid.NewString()},
		{"revoke-key", "--merchant", created.ID, "--prefix", created.Prefix}, // already revoked
		{"revoke-key", "--merchant", created.ID},
	} {
		if err := runMerchant(t.Context(), append(args, db...)); err == nil {
			t.Errorf("merchant %v: no error", args)
		}
	}
}
