package webhook_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	whsig "github.com/switchyard/switchyard/orchestrator/webhook"
	"github.com/switchyard/switchyard/schema/schematest"
	"github.com/switchyard/switchyard/workers/webhook"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// bundle is what a test needs: a store, a sealer, JetStream, a merchant.
type bundle struct {
	st       *store.Store
	sealer   *secret.Sealer
	js       jetstream.JetStream
	merchant uuid.UUID
}

func setup(t testing.TB) *bundle {
	t.Helper()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 16)
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
	_, js := brokertest.Connect(t, brokertest.Start(t))
	b := &bundle{st: st, sealer: sealer, js: js, merchant: uuid.New()}
	if err := st.MerchantCreate(t.Context(), &store.MerchantCreateParams{ID: b.merchant, Name: "Shop",
		APIKeyHash: []byte(b.merchant.String()), APIKeyPrefix: "sk_" + b.merchant.String()[:8]}); err != nil {
		t.Fatal(err)
	}
	return b
}

// config is a Config for the bundle: private addresses allowed (the
// receivers are on 127.0.0.1), a fast schedule, no endpoint cache.
func (b *bundle) config() webhook.Config {
	return webhook.Config{Store: b.st, Sealer: b.sealer, JetStream: b.js, AllowPrivate: true,
		Schedule:  []time.Duration{200 * time.Millisecond, 200 * time.Millisecond, 200 * time.Millisecond},
		PollEvery: 50 * time.Millisecond, CacheFor: -1}
}

// run starts a Dispatcher and a Deliverer with cfg until the test ends.
func (b *bundle) run(t testing.TB, cfg webhook.Config) {
	t.Helper()
	disp, err := webhook.NewDispatcher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	del, err := webhook.NewDeliverer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = disp.Run(ctx) }()
	go func() { defer wg.Done(); _ = del.Run(ctx) }()
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// endpoint is a registered endpoint and its secrets in clear.
type endpoint struct {
	ID             uuid.UUID
	Secret, Before string // Before: the previous secret, during a rotation
}

// newEndpoint registers an endpoint of the bundle's merchant (SQL here:
// the endpoints' store API belongs to the endpoints API's change).
func (b *bundle) newEndpoint(t testing.TB, url string, filters ...string) endpoint {
	t.Helper()
	e := endpoint{ID: uuid.New(), Secret: newSecret(t)}
	if filters == nil {
		filters = []string{}
	}
	if _, err := b.st.Pool.Exec(t.Context(), `INSERT INTO webhook_endpoints (merchant_id, id, url, event_types, secret_sealed, created_at)
		VALUES ($1, $2, $3, $4, $5, now() - interval '1 minute')`, b.merchant, e.ID, url, filters, b.seal(e.ID, e.Secret)); err != nil {
		t.Fatal(err)
	}
	return e
}

// rotate makes a new current secret, the old one valid for overlap.
func (b *bundle) rotate(t testing.TB, e endpoint, overlap time.Duration) endpoint {
	t.Helper()
	e.Before, e.Secret = e.Secret, newSecret(t)
	if _, err := b.st.Pool.Exec(t.Context(), `UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed,
		previous_secret_expires_at = now() + $3::interval, secret_sealed = $4 WHERE merchant_id = $1 AND id = $2`,
		b.merchant, e.ID, overlap.String(), b.seal(e.ID, e.Secret)); err != nil {
		t.Fatal(err)
	}
	return e
}

func (b *bundle) seal(endpointID uuid.UUID, s string) []byte {
	return b.sealer.Seal([]byte(s), secret.WebhookEndpointSecretAAD(b.merchant.String(), endpointID.String()))
}

func newSecret(t testing.TB) string {
	s, err := whsig.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// publish publishes an event of the merchant on PAY_EVENTS, as the outbox
// relay does, and returns its id.
func (b *bundle) publish(t testing.TB, typ string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	b.publishID(t, id, typ)
	return id
}

func (b *bundle) publishID(t testing.TB, id uuid.UUID, typ string) {
	t.Helper()
	txn := uuid.NewString()
	body, err := json.Marshal(events.Event{SpecVersion: events.SpecVersion, ID: id.String(), Source: events.Source,
		Type: typ, Time: time.Now().UTC(), DataContentType: "application/json", MerchantID: b.merchant.String(),
		Data: events.EventData{Transaction: &events.Transaction{ID: txn, MerchantID: b.merchant.String(), Type: "charge",
			Status: "succeeded", Amount: "10.00", Currency: "NGN"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.js.Publish(t.Context(), events.EventSubject(b.merchant.String(), typ), body); err != nil {
		t.Fatal(err)
	}
}

// request is one request a receiver got.
type request struct {
	Header http.Header
	Body   []byte
	At     time.Time
}

// receiver is an HTTP endpoint on 127.0.0.1 that records its requests and
// answers with answer (200 when nil).
type receiver struct {
	srv *httptest.Server

	mu     sync.Mutex
	got    []request
	answer func(n int, w http.ResponseWriter, r *http.Request) // n: 1 for the first request
}

func newReceiver(t testing.TB, answer func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	rc := &receiver{answer: answer}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, request{Header: r.Header.Clone(), Body: body, At: time.Now()})
		n := len(rc.got)
		rc.mu.Unlock()
		if rc.answer != nil {
			rc.answer(n, w, r)
		}
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.got...)
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// delivery reads the delivery of event to endpoint.
func (b *bundle) delivery(t testing.TB, endpointID, eventID uuid.UUID) (status string, attempts int, lastError string, ok bool) {
	t.Helper()
	err := b.st.Pool.QueryRow(t.Context(), `SELECT status, attempts, last_error FROM webhook_deliveries
		WHERE merchant_id = $1 AND endpoint_id = $2 AND event_id = $3`, b.merchant, endpointID, eventID).Scan(&status, &attempts, &lastError)
	return status, attempts, lastError, err == nil
}

// waitDelivery waits for the delivery of event to endpoint to reach status.
func (b *bundle) waitDelivery(t testing.TB, endpointID, eventID uuid.UUID, status string, timeout time.Duration) {
	t.Helper()
	waitFor(t, timeout, "delivery "+status, func() bool {
		s, _, _, ok := b.delivery(t, endpointID, eventID)
		return ok && s == status
	})
}
