package main

import (
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/schema"
	"github.com/switchyard/switchyard/schema/schematest"
)

// TestMerchantCreateMakesItsConsumer: `merchant create --nats-url` creates
// the merchant's PAY_EVENTS consumer, so that it can read its events over
// NATS at once.
func TestMerchantCreateMakesItsConsumer(t *testing.T) {
	db := schematest.NewDB(t)
	if _, err := schema.Migrate(t.Context(), db, nil); err != nil {
		t.Fatal(err)
	}
	url := brokertest.Start(t)
	_, js := brokertest.Connect(t, url)
	cfg := filepath.Join(t.TempDir(), "merchant.json")
	if err := os.WriteFile(cfg, []byte(`{"name":"CLI Shop"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	stdout := os.Stdout
	os.Stdout, _ = os.Open(os.DevNull)
	err := run(t.Context(), []string{"merchant", "create", "--config", cfg, "--database-url", db,
		"--secret-key", base64.StdEncoding.EncodeToString(key), "--nats-url", url}, os.Stderr)
	os.Stdout = stdout
	if err != nil {
		t.Fatal(err)
	}
	s, err := js.Stream(t.Context(), events.StreamEvents)
	if err != nil {
		t.Fatal(err)
	}
	names := s.ConsumerNames(t.Context())
	var got []string
	for n := range names.Name() {
		got = append(got, n)
	}
	if len(got) != 1 || len(got[0]) != len("merchant-")+36 {
		t.Fatalf("PAY_EVENTS consumers %q, want the merchant's", got)
	}
}
