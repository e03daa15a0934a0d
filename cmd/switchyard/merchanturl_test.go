package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

// TestServeRefusesWithoutURLsItsMerchantsNeed: a merchant with a processone
// account makes serve's workers role refuse to start without
// --processone-url, in one line naming the flag and how many merchants need
// it; given the URL, serve starts.
func TestServeRefusesWithoutURLsItsMerchantsNeed(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	db, natsURL := schematest.NewDB(t), brokertest.Start(t)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	createMerchant(t, db, key, `{"onoconnect":{"merchant_id":"m","transaction_token":"t"},"processone":{"authentication_key":"k"}}`)
	createMerchant(t, db, key, `{"onoconnect":{"merchant_id":"m2","transaction_token":"t"}}`)
	base := []string{"--database-url", db, "--nats-url", natsURL, "--secret-key", base64.StdEncoding.EncodeToString(key),
		"--roles", "api,workers", "--onoconnect-url", "http://127.0.0.1:1/onoconnect"}

	t.Run("without --processone-url", func(t *testing.T) {
		err := serveUntilUp(t, base)
		if err == nil {
			t.Fatal("serve started without --processone-url although a merchant has a processone account")
		}
		msg := err.Error()
		if !strings.Contains(msg, "--processone-url") || !strings.Contains(msg, "1 merchant") || strings.Contains(msg, "\n") {
			t.Fatalf("error %q: want one line naming --processone-url and 1 merchant", msg)
		}
		for _, other := range []string{"--onepipe-url", "--utility-url", "--codes-url"} {
			if strings.Contains(msg, other) {
				t.Fatalf("error %q names %s, which no merchant needs", msg, other)
			}
		}
	})
	t.Run("with --processone-url", func(t *testing.T) {
		if err := serveUntilUp(t, append(base, "--processone-url", "http://127.0.0.1:1/processone")); err != nil {
			t.Fatalf("serve refused: %v", err)
		}
	})
}

// createMerchant creates a merchant with providers (the JSON object of
// contract §4) in the database at db, sealed with key.
func createMerchant(t *testing.T, db string, key []byte, providers string) {
	t.Helper()
	st, err := store.Open(t.Context(), db, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sealer, err := secret.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	spec := merchant.Spec{Name: "Shop"}
	if err := json.Unmarshal([]byte(providers), &spec.Providers); err != nil {
		t.Fatal(err)
	}
	if _, err := merchant.Create(t.Context(), st, sealer, spec); err != nil {
		t.Fatal(err)
	}
}

// serveUntilUp runs serve with args (and a free --http-addr) until it
// answers /healthz, then stops it. It returns serve's error when serve
// returned before answering, nil when it came up and stopped cleanly.
func serveUntilUp(t *testing.T, args []string) error {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, append(append([]string{}, args...), "--http-addr", addr)) }()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case err := <-done:
			if err == nil {
				err = errors.New("serve returned nil before it was stopped")
			}
			return err
		case <-deadline:
			t.Fatal("serve neither answered /healthz nor returned within 30s")
		case <-time.After(20 * time.Millisecond):
		}
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			_ = resp.Body.Close()
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("serve stopped with %v", err)
			}
			return nil
		}
	}
}
