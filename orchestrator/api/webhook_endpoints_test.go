package api_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/webhook"
	"github.com/switchyard/switchyard/schema/schematest"
)

// lockedBuffer is a log sink the API's handlers write to concurrently.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// hookAPI is an API over its own database, with its log kept.
type hookAPI struct {
	t      *testing.T
	st     *store.Store
	sealer *secret.Sealer
	url    string
	log    *lockedBuffer
}

func newHookAPI(t *testing.T, allowPrivate bool) *hookAPI {
	t.Helper()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 4)
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
	logs := &lockedBuffer{}
	a := api.New(api.Config{Engine: engine.New(engine.Config{Store: st, Sealer: sealer}), AdminToken: adminToken,
		WebhookAllowPrivate: allowPrivate, Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &hookAPI{t: t, st: st, sealer: sealer, url: srv.URL, log: logs}
}

// hookMerchant is a merchant of a hookAPI.
type hookMerchant struct {
	a      *hookAPI
	id     uuid.UUID
	apiKey string
}

func (a *hookAPI) newMerchant() *hookMerchant {
	a.t.Helper()
	var created struct {
		ID     string `json:"id"`
		APIKey string `json:"api_key"`
	}
	if status, _ := a.send("POST", "/v1/admin/merchants", adminToken, "", `{"name":"Hook Shop"}`, &created); status != http.StatusCreated {
		a.t.Fatalf("create merchant: %d", status)
	}
	return &hookMerchant{a: a, id: uuid.MustParse(created.ID), apiKey: created.APIKey}
}

// send makes a request with a bearer token and an Idempotency-Key (none
// when ""), decodes the answer into out and returns its status and header.
func (a *hookAPI) send(method, path, token, key, body string, out any) (int, http.Header) {
	a.t.Helper()
	req, _ := http.NewRequest(method, a.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			a.t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode, resp.Header
}

func (m *hookMerchant) do(method, path, key, body string, out any) int {
	m.a.t.Helper()
	status, _ := m.a.send(method, path, m.apiKey, key, body, out)
	return status
}

// raw returns the answer's body as text.
func (m *hookMerchant) raw(method, path string) (int, string) {
	m.a.t.Helper()
	var b json.RawMessage
	status := m.do(method, path, "", "", &b)
	return status, string(b)
}

type endpointAnswer struct {
	ID                      string     `json:"id"`
	URL                     string     `json:"url"`
	Description             string     `json:"description"`
	EventTypes              []string   `json:"event_types"`
	Status                  string     `json:"status"`
	DisabledReason          string     `json:"disabled_reason"`
	MaxInFlight             int        `json:"max_in_flight"`
	RatePerSecond           int        `json:"rate_per_second"`
	CreatedAt               time.Time  `json:"created_at"`
	UpdatedAt               time.Time  `json:"updated_at"`
	PreviousSecretExpiresAt *time.Time `json:"previous_secret_expires_at"`
	Secret                  string     `json:"secret"`
}

func (m *hookMerchant) create(key, body string) endpointAnswer {
	m.a.t.Helper()
	var ep endpointAnswer
	if status := m.do("POST", "/v1/webhook-endpoints", key, body, &ep); status != http.StatusCreated {
		m.a.t.Fatalf("create %s: %d %+v", body, status, ep)
	}
	return ep
}

// sealed returns the endpoint's sealed secrets as stored.
func (a *hookAPI) sealed(mid uuid.UUID, id string) (current, previous []byte) {
	a.t.Helper()
	if err := a.st.Pool.QueryRow(a.t.Context(), `SELECT secret_sealed, previous_secret_sealed FROM webhook_endpoints
		WHERE merchant_id = $1 AND id = $2`, mid, id).Scan(&current, &previous); err != nil {
		a.t.Fatal(err)
	}
	return current, previous
}

// open opens a sealed endpoint secret as the deliverer will.
func (a *hookAPI) open(mid uuid.UUID, id string, sealed []byte) string {
	a.t.Helper()
	plain, err := a.sealer.Open(sealed, secret.WebhookEndpointSecretAAD(mid.String(), id))
	if err != nil {
		a.t.Fatalf("the sealed secret does not open under its endpoint's associated data: %v", err)
	}
	return string(plain)
}

// TestWebhookEndpointCreate: POST /v1/webhook-endpoints answers 201 with the
// endpoint (defaults filled in) and its whsec_ secret, sealed at rest under
// the endpoint's associated data and nowhere in clear (row or log); the id
// is derived from the Idempotency-Key; a repeat with the same body answers
// the same endpoint and secret; another body with the key is 422; no key is
// 400.
func TestWebhookEndpointCreate(t *testing.T) {
	t.Parallel()
	a := newHookAPI(t, true)
	m := a.newMerchant()
	body := `{"url":"http://127.0.0.1:9/hooks","description":"orders","event_types":["charge.*","refund.succeeded"]}`
	ep := m.create("ep-1", body)
	if ep.ID != uuid.NewSHA1(m.id, []byte("webhook-endpoint:ep-1")).String() || ep.URL != "http://127.0.0.1:9/hooks" ||
		ep.Description != "orders" || len(ep.EventTypes) != 2 || ep.Status != "enabled" || ep.DisabledReason != "" ||
		ep.MaxInFlight != 4 || ep.RatePerSecond != 20 || ep.CreatedAt.IsZero() || ep.PreviousSecretExpiresAt != nil {
		t.Fatalf("created %+v", ep)
	}
	if key, err := webhook.SecretKey(ep.Secret); err != nil || len(key) < 24 {
		t.Fatalf("secret %q: %d bytes, %v", ep.Secret, len(key), err)
	}
	cur, prev := a.sealed(m.id, ep.ID)
	if got := a.open(m.id, ep.ID, cur); got != ep.Secret || prev != nil {
		t.Fatalf("sealed secret opens to %q, previous %v", got, prev)
	}
	var row string
	_ = a.st.Pool.QueryRow(t.Context(), `SELECT row_to_json(e)::text FROM webhook_endpoints e WHERE id = $1`, ep.ID).Scan(&row)
	b64 := strings.TrimPrefix(ep.Secret, webhook.SecretPrefix)
	if strings.Contains(row, b64) || strings.Contains(a.log.String(), b64) {
		t.Fatal("the secret is in clear in the endpoint's row or in the log")
	}

	var again endpointAnswer
	status, hdr := a.send("POST", "/v1/webhook-endpoints", m.apiKey, "ep-1", body, &again)
	if status != http.StatusCreated || again.ID != ep.ID || again.Secret != ep.Secret || hdr.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("repeat: %d %+v (replayed %q), want the same endpoint and secret", status, again, hdr.Get("Idempotent-Replayed"))
	}
	var list struct{ Data []endpointAnswer }
	if m.do("GET", "/v1/webhook-endpoints", "", "", &list); len(list.Data) != 1 {
		t.Fatalf("the repeat made another endpoint: %+v", list)
	}

	explicit := m.create("ep-2", `{"url":"https://8.8.8.8/x","max_in_flight":32,"rate_per_second":1000}`)
	if explicit.MaxInFlight != 32 || explicit.RatePerSecond != 1000 || explicit.EventTypes == nil || len(explicit.EventTypes) != 0 ||
		explicit.Secret == ep.Secret {
		t.Fatalf("explicit limits: %+v", explicit)
	}

	for _, tc := range []struct {
		name, key, body string
		status          int
		code, field     string
	}{
		{"no key", "", body, 400, events.ReasonInvalidRequest, "Idempotency-Key"},
		{"key reused, other body", "ep-1", `{"url":"http://127.0.0.1:9/other"}`, 422, events.ReasonIdempotencyConflict, "Idempotency-Key"},
		{"no url", "bad-1", `{"description":"x"}`, 400, events.ReasonInvalidRequest, "url"},
		{"ftp url", "bad-2", `{"url":"ftp://shop.example/"}`, 400, events.ReasonInvalidRequest, "url"},
		{"relative url", "bad-3", `{"url":"/hooks"}`, 400, events.ReasonInvalidRequest, "url"},
		{"user info", "bad-4", `{"url":"https://u:p@shop.example/"}`, 400, events.ReasonInvalidRequest, "url"},
		{"bad filter", "bad-5", `{"url":"https://8.8.8.8/","event_types":["charge"]}`, 400, events.ReasonInvalidRequest, "event_types"},
		{"in flight 0", "bad-6", `{"url":"https://8.8.8.8/","max_in_flight":0}`, 400, events.ReasonInvalidRequest, "max_in_flight"},
		{"in flight 33", "bad-7", `{"url":"https://8.8.8.8/","max_in_flight":33}`, 400, events.ReasonInvalidRequest, "max_in_flight"},
		{"rate 0", "bad-8", `{"url":"https://8.8.8.8/","rate_per_second":0}`, 400, events.ReasonInvalidRequest, "rate_per_second"},
		{"rate 1001", "bad-9", `{"url":"https://8.8.8.8/","rate_per_second":1001}`, 400, events.ReasonInvalidRequest, "rate_per_second"},
		{"long description", "bad-10", `{"url":"https://8.8.8.8/","description":"` + strings.Repeat("d", 501) + `"}`, 400, events.ReasonInvalidRequest, "description"},
		{"unknown field", "bad-11", `{"url":"https://8.8.8.8/","secret":"whsec_mine"}`, 400, events.ReasonInvalidRequest, "body"},
		{"not an object", "bad-12", `[1]`, 400, events.ReasonInvalidRequest, "body"},
	} {
		var p api.Problem
		if status := m.do("POST", "/v1/webhook-endpoints", tc.key, tc.body, &p); status != tc.status || p.Code != tc.code || p.Field != tc.field {
			t.Errorf("%s: %d %+v, want %d %s naming %s", tc.name, status, p, tc.status, tc.code, tc.field)
		}
	}
	if m.do("GET", "/v1/webhook-endpoints", "", "", &list); len(list.Data) != 2 {
		t.Fatalf("refused requests made endpoints: %d", len(list.Data))
	}
}

// TestWebhookEndpointPrivateURLRefused: unless private addresses are
// allowed, a URL whose host is, or resolves to, a private, loopback or
// link-local address is refused at registration naming the url field.
func TestWebhookEndpointPrivateURLRefused(t *testing.T) {
	t.Parallel()
	a := newHookAPI(t, false)
	m := a.newMerchant()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	port := ln.Addr().(*net.TCPAddr).Port
	for i, u := range []string{
		"http://localhost:" + strconv.Itoa(port) + "/hook", // resolves to 127.0.0.1
		"http://127.0.0.1:" + strconv.Itoa(port) + "/hook",
		"https://10.1.2.3/", "https://169.254.169.254/latest/meta-data", "https://[::1]/", "https://[::ffff:192.168.1.1]/",
	} {
		var p api.Problem
		status := m.do("POST", "/v1/webhook-endpoints", "private-"+strconv.Itoa(i), `{"url":"`+u+`"}`, &p)
		if status != http.StatusBadRequest || p.Code != events.ReasonInvalidRequest || p.Field != "url" ||
			!strings.Contains(p.Detail, "private") {
			t.Errorf("%s: %d %+v, want 400 naming url and saying why", u, status, p)
		}
	}
	if ep := m.create("public", `{"url":"https://93.184.216.34/hooks"}`); ep.URL != "https://93.184.216.34/hooks" {
		t.Fatalf("public address: %+v", ep)
	}
	var list struct{ Data []endpointAnswer }
	if m.do("GET", "/v1/webhook-endpoints", "", "", &list); len(list.Data) != 1 {
		t.Fatalf("endpoints %+v, want only the public one", list.Data)
	}
}

// TestWebhookEndpointLifecycle: list (newest first, no secrets), get,
// rotate-secret (a new secret shown once, the old one kept sealed as the
// previous until the overlap ends: 24 h by default, at most 7 days),
// disable, enable, delete (204; then gone from every route, and a repeat
// of its creation is refused).
func TestWebhookEndpointLifecycle(t *testing.T) {
	t.Parallel()
	a := newHookAPI(t, true)
	m := a.newMerchant()
	first := m.create("lc-1", `{"url":"http://127.0.0.1:9/a"}`)
	second := m.create("lc-2", `{"url":"http://127.0.0.1:9/b","event_types":["refund.*"]}`)

	status, raw := m.raw("GET", "/v1/webhook-endpoints")
	var list struct{ Data []endpointAnswer }
	_ = json.Unmarshal([]byte(raw), &list)
	if status != http.StatusOK || len(list.Data) != 2 || list.Data[0].ID != second.ID || list.Data[1].ID != first.ID {
		t.Fatalf("list: %d %s", status, raw)
	}
	if strings.Contains(raw, `"secret"`) || strings.Contains(raw, "sealed") || strings.Contains(raw, strings.TrimPrefix(first.Secret, "whsec_")) {
		t.Fatalf("the list shows secrets: %s", raw)
	}
	status, raw = m.raw("GET", "/v1/webhook-endpoints/"+first.ID)
	if status != http.StatusOK || strings.Contains(raw, `"secret"`) || !strings.Contains(raw, first.URL) {
		t.Fatalf("get: %d %s", status, raw)
	}

	before := time.Now()
	var rotated endpointAnswer
	if status := m.do("POST", "/v1/webhook-endpoints/"+first.ID+"/rotate-secret", "", "", &rotated); status != http.StatusOK ||
		rotated.ID != first.ID || rotated.Secret == "" || rotated.Secret == first.Secret || rotated.PreviousSecretExpiresAt == nil ||
		rotated.PreviousSecretExpiresAt.Before(before.Add(24*time.Hour-time.Minute)) ||
		rotated.PreviousSecretExpiresAt.After(time.Now().Add(24*time.Hour+time.Minute)) {
		t.Fatalf("rotate: %d %+v", status, rotated)
	}
	cur, prev := a.sealed(m.id, first.ID)
	if a.open(m.id, first.ID, cur) != rotated.Secret || a.open(m.id, first.ID, prev) != first.Secret {
		t.Fatal("after a rotation the current secret is not the new one or the previous one not the old one")
	}
	if strings.Contains(a.log.String(), strings.TrimPrefix(rotated.Secret, "whsec_")) {
		t.Fatal("the rotated secret is in the log")
	}
	var short endpointAnswer
	if status := m.do("POST", "/v1/webhook-endpoints/"+first.ID+"/rotate-secret", "", `{"overlap":"1h"}`, &short); status != http.StatusOK ||
		short.PreviousSecretExpiresAt == nil || short.PreviousSecretExpiresAt.After(time.Now().Add(time.Hour+time.Minute)) {
		t.Fatalf("rotate with a 1h overlap: %d %+v", status, short)
	}
	for _, body := range []string{`{"overlap":"169h"}`, `{"overlap":"-1h"}`, `{"overlap":"soon"}`} {
		var p api.Problem
		if status := m.do("POST", "/v1/webhook-endpoints/"+first.ID+"/rotate-secret", "", body, &p); status != http.StatusBadRequest || p.Field != "overlap" {
			t.Errorf("rotate %s: %d %+v, want 400 naming overlap", body, status, p)
		}
	}
	status, raw = m.raw("GET", "/v1/webhook-endpoints/"+first.ID)
	if !strings.Contains(raw, `"previous_secret_expires_at"`) || strings.Contains(raw, `"secret"`) {
		t.Fatalf("get after a rotation: %d %s", status, raw)
	}

	var disabled, enabled endpointAnswer
	if status := m.do("POST", "/v1/webhook-endpoints/"+first.ID+"/disable", "", "", &disabled); status != http.StatusOK ||
		disabled.Status != "disabled" || disabled.DisabledReason == "" || disabled.Secret != "" {
		t.Fatalf("disable: %d %+v", status, disabled)
	}
	if status := m.do("POST", "/v1/webhook-endpoints/"+first.ID+"/enable", "", "", &enabled); status != http.StatusOK ||
		enabled.Status != "enabled" || enabled.DisabledReason != "" {
		t.Fatalf("enable: %d %+v", status, enabled)
	}

	if status := m.do("DELETE", "/v1/webhook-endpoints/"+first.ID, "", "", nil); status != http.StatusNoContent {
		t.Fatalf("delete: %d", status)
	}
	for _, rt := range [][2]string{{"GET", ""}, {"DELETE", ""}, {"POST", "/rotate-secret"}, {"POST", "/disable"}, {"POST", "/enable"}} {
		var p api.Problem
		if status := m.do(rt[0], "/v1/webhook-endpoints/"+first.ID+rt[1], "", "", &p); status != http.StatusNotFound || p.Code != events.ReasonNotFound {
			t.Errorf("%s %s after delete: %d %+v", rt[0], rt[1], status, p)
		}
	}
	if m.do("GET", "/v1/webhook-endpoints", "", "", &list); len(list.Data) != 1 || list.Data[0].ID != second.ID {
		t.Fatalf("list after delete: %+v", list.Data)
	}
	var p api.Problem
	if status := m.do("POST", "/v1/webhook-endpoints", "lc-1", `{"url":"http://127.0.0.1:9/a"}`, &p); status != http.StatusConflict ||
		p.Code != events.ReasonInvalidState || p.Field != "Idempotency-Key" {
		t.Fatalf("repeat of a deleted endpoint's creation: %d %+v", status, p)
	}
}

// TestWebhookEndpointsAreMerchantScoped: another merchant's endpoint is
// not found on every route, and changes nothing; without an API key every
// route is 401.
func TestWebhookEndpointsAreMerchantScoped(t *testing.T) {
	t.Parallel()
	a := newHookAPI(t, true)
	owner, other := a.newMerchant(), a.newMerchant()
	ep := owner.create("mine", `{"url":"http://127.0.0.1:9/a"}`)
	// The same Idempotency-Key is the other merchant's own: another endpoint.
	if theirs := other.create("mine", `{"url":"http://127.0.0.1:9/a"}`); theirs.ID == ep.ID || theirs.Secret == ep.Secret {
		t.Fatalf("another merchant's same key gave the same endpoint: %+v", theirs)
	}
	for _, rt := range [][2]string{{"GET", ""}, {"DELETE", ""}, {"POST", "/rotate-secret"}, {"POST", "/disable"}, {"POST", "/enable"}} {
		var p api.Problem
		if status := other.do(rt[0], "/v1/webhook-endpoints/"+ep.ID+rt[1], "", "", &p); status != http.StatusNotFound || p.Code != events.ReasonNotFound {
			t.Errorf("another merchant's %s %s: %d %+v", rt[0], rt[1], status, p)
		}
		if status, _ := a.send(rt[0], "/v1/webhook-endpoints/"+ep.ID+rt[1], "sk_nope", "", "", nil); status != http.StatusUnauthorized {
			t.Errorf("%s %s without a valid key: %d", rt[0], rt[1], status)
		}
	}
	var list struct{ Data []endpointAnswer }
	if other.do("GET", "/v1/webhook-endpoints", "", "", &list); len(list.Data) != 1 || list.Data[0].ID == ep.ID {
		t.Fatalf("the other merchant lists %+v", list.Data)
	}
	var got endpointAnswer
	if status := owner.do("GET", "/v1/webhook-endpoints/"+ep.ID, "", "", &got); status != http.StatusOK || got.Status != "enabled" {
		t.Fatalf("the owner's endpoint after the other merchant's tries: %d %+v", status, got)
	}
	cur, prev := a.sealed(owner.id, ep.ID)
	if a.open(owner.id, ep.ID, cur) != ep.Secret || prev != nil {
		t.Fatal("another merchant rotated the secret")
	}
	if status := owner.do("GET", "/v1/webhook-endpoints/not-a-uuid", "", "", nil); status != http.StatusNotFound {
		t.Fatalf("a malformed id: %d", status)
	}
}
