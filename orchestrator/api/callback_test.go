package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

// recorded is a toy lifecycle of one creating command, as a provider's
// callback would make it: toy.record creates a transaction "recorded".
type recorded struct{}

const toyRecord = "toy.record"

func (recorded) Type() string { return "toy" }
func (recorded) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: toyRecord, Creates: true, Internal: true}}
}
func (recorded) Routes() []lifecycle.Route { return nil }
func (recorded) InFlight(string) bool      { return false }
func (recorded) Final(string) bool         { return true }
func (recorded) Parse(_ string, data json.RawMessage) (lifecycle.Parsed, error) {
	var d struct{ Reference string }
	if err := json.Unmarshal(data, &d); err != nil || d.Reference == "" {
		return lifecycle.Parsed{}, events.Invalid("data.reference", "required")
	}
	return lifecycle.Parsed{Data: d.Reference}, nil
}
func (recorded) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	c.Txn.Status, c.Txn.Provider, c.Txn.Currency = "recorded", "toyprov", "ZAR"
	c.Txn.Reference = c.Parsed.Data.(string)
	return nil, nil
}
func (recorded) Decide(*store.Txn, lifecycle.Input, *lifecycle.Env) ([]effect.Effect, error) {
	return nil, lifecycle.ErrIgnored
}
func (recorded) Awaits(*store.Txn, string) bool       { return false }
func (recorded) Show(*store.Txn, *events.Transaction) {}

// callbackAPI is an API whose "toyprov" callback is cb, over a real database.
type callbackAPI struct {
	st       *store.Store
	url      string
	merchant uuid.UUID
}

func newCallbackAPI(t *testing.T, cb api.ProviderCallback) *callbackAPI {
	t.Helper()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	key := make([]byte, secret.KeySize)
	_, _ = rand.Read(key)
	sealer, err := secret.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Config{Store: st, Sealer: sealer, Lifecycles: lifecycle.NewRegistry(recorded{})})
	a := api.New(api.Config{Engine: eng, Callbacks: map[string]api.ProviderCallback{"toyprov": cb}})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	c := &callbackAPI{st: st, url: srv.URL, merchant: uuid.New()}
	if err := st.MerchantCreate(t.Context(), &store.MerchantCreateParams{ID: c.merchant, Name: "Shop",
		APIKeyHash: []byte(c.merchant.String()), APIKeyPrefix: "sk_test", WebhookSecret: []byte{0}}); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *callbackAPI) post(t *testing.T, provider string, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(c.url+"/v1/provider-callbacks/"+provider, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestProviderCallbackRoute: the provider's callback function turns the
// request into a command (or a problem it names); the command is applied
// once, and a repeat of it is answered the same 200.
func TestProviderCallbackRoute(t *testing.T) {
	t.Parallel()
	var merchant uuid.UUID
	cb := func(_ context.Context, r *http.Request, body []byte) (uuid.UUID, *events.Command, error) {
		switch {
		case r.Header.Get("X-Sig") == "bad":
			return uuid.Nil, nil, &api.CallbackError{Status: http.StatusUnauthorized, Code: events.ReasonUnauthorized, Message: "bad signature"}
		case r.Header.Get("X-Sig") == "boom":
			return uuid.Nil, nil, errors.New("database down")
		}
		var d struct{ Reference string }
		_ = json.Unmarshal(body, &d)
		return merchant, &events.Command{ID: uuid.NewSHA1(merchant, []byte("toy:"+d.Reference)).String(), Type: toyRecord,
			Data: json.RawMessage(body)}, nil
	}
	c := newCallbackAPI(t, cb)
	merchant = c.merchant

	status, body := c.post(t, "toyprov", []byte(`{"reference":"pay-1"}`))
	if status != http.StatusOK || !strings.Contains(body, `"received":true`) {
		t.Fatalf("first: %d %s", status, body)
	}
	status, body = c.post(t, "toyprov", []byte(`{"reference":"pay-1"}`))
	if status != http.StatusOK || !strings.Contains(body, `"received":true`) {
		t.Fatalf("repeat: %d %s", status, body)
	}
	var n int
	if err := c.st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM transactions WHERE merchant_id = $1 AND type = 'toy'`, merchant).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d transactions (%v), want the callback recorded once", n, err)
	}

	status, body = c.post(t, "toyprov", []byte(`{}`))
	if status != http.StatusUnprocessableEntity && status != http.StatusBadRequest || !strings.Contains(body, "reference") {
		t.Fatalf("rejected command: %d %s", status, body)
	}
	if status, body = c.post(t, "nosuch", []byte(`{}`)); status != http.StatusNotFound {
		t.Fatalf("unknown provider: %d %s", status, body)
	}
	if status, body = c.post(t, "toyprov", bytes.Repeat([]byte("x"), 64<<10+1)); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d %s", status, body)
	}

	req, _ := http.NewRequest(http.MethodPost, c.url+"/v1/provider-callbacks/toyprov", strings.NewReader(`{"reference":"pay-2"}`))
	for sig, want := range map[string]int{"bad": http.StatusUnauthorized, "boom": http.StatusServiceUnavailable} {
		req.Header.Set("X-Sig", sig)
		req.Body = io.NopCloser(strings.NewReader(`{"reference":"pay-2"}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s: %d %s, want %d as a problem", sig, resp.StatusCode, b, want)
		}
		if sig == "boom" && strings.Contains(string(b), "database down") {
			t.Fatalf("internal error shown to the provider: %s", b)
		}
	}
}
