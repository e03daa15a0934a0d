package store_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema"
	"github.com/switchyard/switchyard/schema/schematest"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// TestMigrationKeepsExistingAPIKeys: a merchant created before api_keys
// existed keeps its key, which can then be revoked.
func TestMigrationKeepsExistingAPIKeys(t *testing.T) {
	ctx := t.Context()
	db, name := emptyDB(t)
	init, err := os.ReadFile("../../schema/migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	key, hash := secret.NewAPIKey()
	mid := uuid.New()
	for _, sql := range []string{
		`CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
		string(init),
		`INSERT INTO schema_migrations (version, name) VALUES (1, 'init')`,
	} {
		if _, err := conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `INSERT INTO merchants (id, name, api_key_hash, api_key_prefix, webhook_secret)
		VALUES ($1, 'Old Shop', $2, $3, '\x00')`, mid, hash, key[:8]); err != nil {
		t.Fatal(err)
	}
	var current string
	if err := conn.QueryRow(ctx, `SELECT current_database()`).Scan(&current); err != nil || current != name {
		t.Fatalf("connected to %q, not the empty database: %v", current, err)
	}
	_ = conn.Close(ctx)
	if _, err := schema.Migrate(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, db, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	k, err := st.APIKeyGet(ctx, hash)
	if err != nil || k.MerchantID != mid || k.Prefix != key[:8] || !k.ExpiresAt.IsZero() {
		t.Fatalf("migrated key: %+v, %v", k, err)
	}
	if m, err := st.MerchantGetByAPIKeyHash(ctx, hash); err != nil || m.ID != mid {
		t.Fatalf("merchant by migrated key: %+v, %v", m, err)
	}
	if err := st.APIKeyRevoke(ctx, mid, key[:8]); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MerchantGetByAPIKeyHash(ctx, hash); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked key still finds its merchant: %v", err)
	}
}

// TestAPIKeyRotateOverlap: after a rotation the old key works until the
// overlap ends, and a second rotation never extends an earlier expiry.
func TestAPIKeyRotateOverlap(t *testing.T) {
	ctx := t.Context()
	st, err := store.Open(ctx, schematest.NewDB(t), 4)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mid := uuid.New()
	_, h1 := secret.NewAPIKey()
	if err := st.MerchantCreate(ctx, &store.MerchantCreateParams{ID: mid, Name: "Shop", APIKeyHash: h1, APIKeyPrefix: "sk_one",
		WebhookSecret: []byte{0}}); err != nil {
		t.Fatal(err)
	}
	_, h2 := secret.NewAPIKey()
	until, err := st.APIKeyRotate(ctx, &store.APIKeyRotateParams{MerchantID: mid, KeyHash: h2, Prefix: "sk_two", Overlap: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if k, err := st.APIKeyGet(ctx, h1); err != nil || !k.ExpiresAt.Equal(until) {
		t.Fatalf("old key in its overlap: %+v %v (want expiry %v)", k, err, until)
	}
	_, h3 := secret.NewAPIKey()
	if _, err := st.APIKeyRotate(ctx, &store.APIKeyRotateParams{MerchantID: mid, KeyHash: h3, Prefix: "sk_three", Overlap: 2 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	if k, err := st.APIKeyGet(ctx, h1); err != nil || !k.ExpiresAt.Equal(until) {
		t.Fatalf("a later rotation moved the old key's expiry: %+v %v", k, err)
	}
	if _, err := st.APIKeyRotate(ctx, &store.APIKeyRotateParams{MerchantID: mid, KeyHash: h1, Prefix: "sk_four"}); err == nil {
		t.Fatal("a key hash was issued twice")
	}
	_, h5 := secret.NewAPIKey()
	if _, err := st.APIKeyRotate(ctx, &store.APIKeyRotateParams{MerchantID: mid, KeyHash: h5, Prefix: "sk_five"}); err != nil {
		t.Fatal(err)
	}
	for _, h := range [][]byte{h1, h2, h3} {
		if _, err := st.APIKeyGet(ctx, h); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("key rotated out with no overlap still valid: %v", err)
		}
	}
	if _, err := st.APIKeyRotate(ctx, &store.APIKeyRotateParams{MerchantID: uuid.New(), KeyHash: []byte("x"), Prefix: "p"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("rotate for an unknown merchant: %v", err)
	}
}

// emptyDB creates an empty database, dropped when the test ends.
func emptyDB(t *testing.T) (dbURL, name string) {
	t.Helper()
	admin := schematest.AdminURL(t)
	name = "empty_" + uuid.NewString()[:8]
	exec := func(sql string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	exec("CREATE DATABASE " + name)
	t.Cleanup(func() { exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String(), name
}
