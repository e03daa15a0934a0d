package webhook_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// An endpoint failing for 5 days is disabled, with the event.
func TestFailingFiveDaysDisables(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	e := b.newEndpoint(t, rc.srv.URL)
	clk := &clock{}
	cfg := b.config()
	cfg.Now = clk.now
	cfg.Schedule = make([]time.Duration, 50)
	for i := range cfg.Schedule {
		cfg.Schedule[i] = 100 * time.Millisecond
	}
	b.run(t, cfg)
	ev := b.publish(t, "charge.succeeded")
	waitFor(t, 10*time.Second, "failing_since set", func() bool {
		var set bool
		err := b.st.Pool.QueryRow(t.Context(), `SELECT failing_since IS NOT NULL FROM webhook_endpoints WHERE id = $1`, e.ID).Scan(&set)
		return err == nil && set
	})
	if status, _ := endpointStatus(t, b, e.ID); status != "enabled" {
		t.Fatalf("disabled after one failure: %s", status)
	}
	clk.advance(4*24*time.Hour + 23*time.Hour)
	n := len(rc.requests())
	waitFor(t, 10*time.Second, "another attempt", func() bool { return len(rc.requests()) > n+1 })
	if status, _ := endpointStatus(t, b, e.ID); status != "enabled" {
		t.Fatalf("disabled after 4 days 23 h: %s", status)
	}
	clk.advance(time.Hour)
	waitFor(t, 10*time.Second, "endpoint disabled", func() bool { s, _ := endpointStatus(t, b, e.ID); return s == "disabled" })
	if _, reason := endpointStatus(t, b, e.ID); reason != "failing for 5 days" {
		t.Errorf("reason %q", reason)
	}
	if evs := disabledEvents(t, b); len(evs) != 1 || evs[0]["disabled_reason"] != "failing for 5 days" {
		t.Errorf("disabled events: %v", evs)
	}
	// The pending delivery is not sent again: it fails, replayable.
	b.waitDelivery(t, e.ID, ev, store.DeliveryFailed, 10*time.Second)
	if _, _, last, _ := b.delivery(t, e.ID, ev); last != "endpoint disabled" && last != "HTTP 500" {
		t.Errorf("last error %q", last)
	}
}
