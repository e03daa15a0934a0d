package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
)

// receiver is a merchant's webhook endpoint: it keeps every request.
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []received
	answer func(n int) int // status for the n-th request (from 1)
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, answer func(n int) int) *receiver {
	r := &receiver{answer: answer}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{header: req.Header.Clone(), body: b})
		n := len(r.got)
		r.mu.Unlock()
		status := http.StatusOK
		if r.answer != nil {
			status = r.answer(n)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// webhookEndpoint registers url for m and returns the endpoint with its secret.
func (m *tenant) webhookEndpoint(url string, types ...string) map[string]any {
	m.e.t.Helper()
	body, _ := json.Marshal(map[string]any{"url": url, "event_types": types, "description": "e2e"})
	var ep map[string]any
	if code := m.e.do("POST", "/v1/webhook-endpoints", m.apiKey, "ep-"+url, string(body), &ep); code != http.StatusCreated {
		m.e.t.Fatalf("create endpoint: %d %v", code, ep)
	}
	return ep
}

// TestWebhooks: an endpoint filtered to charge.* gets the charge's events,
// each signed so that the Standard Webhooks reference library verifies it,
// with webhook-id = the event id; a failing endpoint (500, then 200) is
// retried and recovers; deliveries and their attempts are listed; the
// charge's timeline shows the attempts; another merchant sees none of it.
func TestWebhooks(t *testing.T) {
	e := newEnvWith(t, allRoles, func(c *nodeConfig) { c.WebhookAllowPrivate = true })
	m := e.newMerchant("15m")
	ok := newReceiver(t, nil)
	flaky := newReceiver(t, func(n int) int {
		if n == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	ep := m.webhookEndpoint(ok.srv.URL+"/hooks", "charge.*")
	m.webhookEndpoint(flaky.srv.URL+"/hooks", "charge.authorized")
	secret, _ := ep["secret"].(string)
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatalf("secret %q: %v", secret, err)
	}

	id := natsTransport{}.create(m, "wh-1", chargeData("wh-1", "10.00"))
	m.waitStatus(id, events.StatusAuthorized)
	deadline := time.Now().Add(20 * time.Second)
	for len(ok.all()) < 2 || len(flaky.all()) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("deliveries: %d to the good endpoint, %d to the flaky one", len(ok.all()), len(flaky.all()))
		}
		time.Sleep(50 * time.Millisecond)
	}
	types := map[string]bool{}
	for _, r := range ok.all() {
		if err := wh.Verify(r.body, r.header); err != nil {
			t.Errorf("the reference library refuses a delivery: %v", err)
		}
		var ev events.Event
		_ = json.Unmarshal(r.body, &ev)
		if r.header.Get("webhook-id") != ev.ID || ev.Subject != id {
			t.Errorf("webhook-id %q for event %q of %q", r.header.Get("webhook-id"), ev.ID, ev.Subject)
		}
		types[ev.Type] = true
	}
	if !types["charge.pending"] || !types["charge.authorized"] {
		t.Errorf("delivered types %v, want charge.pending and charge.authorized", types)
	}
	fl := flaky.all()
	if fl[0].header.Get("webhook-id") != fl[1].header.Get("webhook-id") {
		t.Errorf("the retry after a 500 has another webhook-id: %q, %q", fl[0].header.Get("webhook-id"), fl[1].header.Get("webhook-id"))
	}

	var deliveries struct {
		Data []map[string]any `json:"data"`
	}
	waitCond(t, 10*time.Second, "three deliveries delivered", func() bool {
		e.do("GET", "/v1/webhook-deliveries?status=delivered", m.apiKey, "", "", &deliveries)
		return len(deliveries.Data) == 3
	})
	var tl api.Timeline
	e.do("GET", "/v1/transactions/"+id+"/timeline", m.apiKey, "", "", &tl)
	attempts := 0
	for _, en := range tl.Entries {
		if en.Kind == "webhook_attempt" {
			attempts++
		}
	}
	if attempts != 4 {
		t.Errorf("the timeline shows %d webhook attempts, want 4 (2 + 1 failed + 1)", attempts)
	}
	other := e.newMerchant("15m")
	var none struct {
		Data []map[string]any `json:"data"`
	}
	e.do("GET", "/v1/webhook-deliveries", other.apiKey, "", "", &none)
	if len(none.Data) != 0 {
		t.Errorf("another merchant sees %d deliveries", len(none.Data))
	}
	if code := e.do("GET", "/v1/webhook-endpoints/"+ep["id"].(string), other.apiKey, "", "", nil); code != http.StatusNotFound {
		t.Errorf("another merchant's endpoint: %d", code)
	}
}

// TestWebhookEndpointPrivateURLRefused: without --webhook-allow-private
// (serve's default) an endpoint on a loopback address is refused at
// registration, naming the field.
func TestWebhookEndpointPrivateURLRefused(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	var p map[string]any
	code := e.do("POST", "/v1/webhook-endpoints", m.apiKey, "ep-private", `{"url":"http://localhost:9/hooks"}`, &p)
	if code != http.StatusBadRequest || p["field"] != "url" || !strings.Contains(fmt.Sprint(p["detail"]), "loopback") {
		t.Errorf("private endpoint: %d %v", code, p)
	}
}

func waitCond(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: not within %v", what, d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
