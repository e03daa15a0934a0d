package webhook_test

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// A hanging endpoint holds up no other: with fewer attempt slots than
// events, the other endpoint's deliveries still complete promptly because
// the hanging one never takes more than its max_in_flight.
func TestHangingEndpointDelaysNoOther(t *testing.T) {
	t.Parallel()
	b := setup(t)
	release := make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	hang := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select { // a 30 s hang (the attempt gives up after 10 s)
		case <-time.After(30 * time.Second):
		case <-r.Context().Done():
		case <-release:
		}
	})
	ok := newReceiver(t, nil)
	slow := b.newEndpoint(t, hang.srv.URL)
	fast := b.newEndpoint(t, ok.srv.URL)
	if _, err := b.st.Pool.Exec(t.Context(), `UPDATE webhook_endpoints SET max_in_flight = 2 WHERE id = $1`, slow.ID); err != nil {
		t.Fatal(err)
	}
	cfg := b.config()
	cfg.Concurrency = 4
	var ids []uuid.UUID
	for range 20 {
		ids = append(ids, b.publish(t, "charge.succeeded"))
	}
	start := time.Now()
	b.run(t, cfg)
	for _, id := range ids {
		b.waitDelivery(t, fast.ID, id, store.DeliveryDelivered, 5*time.Second)
	}
	t.Logf("20 deliveries to the healthy endpoint in %s beside a hanging one", time.Since(start))
	if n := len(hang.requests()); n > 2 {
		t.Errorf("requests in flight to the hanging endpoint: %d, more than its max_in_flight 2", n)
	}
}

// The rate limit: an endpoint at 2 per second gets no more than that.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rc := newReceiver(t, nil)
	e := b.newEndpoint(t, rc.srv.URL)
	if _, err := b.st.Pool.Exec(t.Context(), `UPDATE webhook_endpoints SET rate_per_second = 2 WHERE id = $1`, e.ID); err != nil {
		t.Fatal(err)
	}
	var ids []uuid.UUID
	for range 6 {
		ids = append(ids, b.publish(t, "charge.succeeded"))
	}
	b.run(t, b.config())
	for _, id := range ids {
		b.waitDelivery(t, e.ID, id, store.DeliveryDelivered, 10*time.Second)
	}
	got := rc.requests()
	// 6 at 2/s with a burst of 2: the last no sooner than 2 s after the first.
	if gap := got[len(got)-1].At.Sub(got[0].At); gap < 1800*time.Millisecond {
		t.Errorf("6 requests at 2/s within %s", gap)
	}
}

// The SSRF guard: a host name resolving to 127.0.0.1 is refused at dial
// time; the endpoint is never reached and the attempt says blocked.
func TestSSRFGuardBlocksLoopbackName(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var reached atomic.Int32
	rc := newReceiver(t, func(int, http.ResponseWriter, *http.Request) { reached.Add(1) })
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(rc.srv.URL, "http://"))
	e := b.newEndpoint(t, "http://localhost:"+port+"/hook")
	cfg := b.config()
	cfg.AllowPrivate = false
	b.run(t, cfg)
	ev := b.publish(t, "charge.succeeded")
	var errText string
	waitFor(t, 10*time.Second, "an attempt", func() bool {
		err := b.st.Pool.QueryRow(t.Context(), `SELECT a.error FROM webhook_attempts a JOIN webhook_deliveries d
			ON d.merchant_id = a.merchant_id AND d.id = a.delivery_id WHERE d.endpoint_id = $1 AND d.event_id = $2`,
			e.ID, ev).Scan(&errText)
		return err == nil
	})
	if !strings.Contains(errText, "blocked") {
		t.Errorf("attempt error %q does not say blocked", errText)
	}
	if reached.Load() != 0 || len(rc.requests()) != 0 {
		t.Error("the loopback endpoint was reached")
	}
}

// A redelivered event (the same event twice on PAY_EVENTS) makes one
// delivery and one request.
func TestRedeliveredEventMakesNoSecondDelivery(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rc := newReceiver(t, nil)
	e := b.newEndpoint(t, rc.srv.URL)
	ev := uuid.New()
	b.publishID(t, ev, "charge.succeeded")
	b.run(t, b.config())
	b.waitDelivery(t, e.ID, ev, store.DeliveryDelivered, 10*time.Second)
	b.publishID(t, ev, "charge.succeeded")
	waitFor(t, 10*time.Second, "consumer caught up", func() bool { return caughtUp(t, b) })
	waitFor(t, 10*time.Second, "no work left", func() bool { return pendingWork(t, b) == 0 })
	var n int
	if err := b.st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM webhook_deliveries WHERE merchant_id = $1 AND event_id = $2`,
		b.merchant, ev).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 || len(rc.requests()) != 1 {
		t.Errorf("deliveries %d, requests %d; want 1 and 1", n, len(rc.requests()))
	}
}
