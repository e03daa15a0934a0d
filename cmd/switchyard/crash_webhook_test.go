//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchyard/switchyard/events"
)

// The webhook crash test: a real `switchyard dev` delivers charge.authorized
// events to an endpoint in this test process that holds the first answers
// back; SIGKILL while attempts are in flight (sent, not answered). After
// the restart every event is delivered; no delivery is lost, and the only
// duplicates carry the same webhook-id and the same body.
const (
	webhookCrashCharges  = 30
	webhookCrashInFlight = 4
)

// hookSink is the merchant's endpoint: it counts requests per webhook-id,
// and holds the answer to the first hold requests until released.
type hookSink struct {
	mu       sync.Mutex
	bodies   map[string][][]byte // webhook-id → bodies received
	answered map[string]bool     // webhook-id → a 2xx was written
	waiting  int
	hold     int
	release  chan struct{}
}

func (s *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	id := r.Header.Get("webhook-id")
	s.mu.Lock()
	s.bodies[id] = append(s.bodies[id], b)
	hold := s.hold > 0
	if hold {
		s.hold--
		s.waiting++
	}
	s.mu.Unlock()
	if hold {
		select {
		case <-s.release:
		case <-r.Context().Done(): // the sender died
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
	s.mu.Lock()
	s.answered[id] = true
	s.mu.Unlock()
}

func (s *hookSink) state() (waiting, ids, answered int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waiting, len(s.bodies), len(s.answered)
}

func TestCrashRecoveryWebhooks(t *testing.T) {
	rig := newCrashRig(t, "--onoconnect-url", "/onoconnect")
	// charges whose call was in flight at the kill are reversed by reference: check their absence quickly
	rig.args = append(rig.args, "--absence-delays", "200ms,500ms")
	sink := &hookSink{bodies: map[string][][]byte{}, answered: map[string]bool{}, hold: 1 << 30, release: make(chan struct{})}
	srv := httptest.NewServer(sink)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { closeOnce(sink) })
	dev1, info := rig.start(t, "dev#1")
	registerEndpoint(t, info, srv.URL+"/hooks")

	ctx, cancel := context.WithCancel(t.Context())
	js := connectJS(t, info)
	cmds := createCommands(webhookCrashCharges)
	for _, c := range cmds {
		if _, err := c.publish(ctx, js, info.MerchantID); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 30*time.Second, "webhook attempts in flight", dev1, func() (bool, string) {
		w, _, _ := sink.state()
		return w >= webhookCrashInFlight, strconv.Itoa(w)
	})
	w, _, _ := sink.state()
	dev1.kill(t)
	cancel()
	t.Logf("SIGKILL with %d webhook attempts sent and unanswered", w)
	sink.mu.Lock()
	sink.hold = 0
	sink.mu.Unlock()
	closeOnce(sink)

	restarted := time.Now()
	dev2, info2 := rig.start(t, "dev#2")
	js2 := connectJS(t, info2)
	for _, c := range cmds { // a command the killed intake had not committed is sent again
		if _, err := c.publish(t.Context(), js2, info.MerchantID); err != nil {
			t.Fatal(err)
		}
	}
	// A charge whose call was in flight at the kill is reversed, not
	// authorized: what must be delivered is every charge.authorized there is
	// once every charge has ended.
	rig.waitSettled(t, dev2, "every charge ended and every charge.authorized delivered", func() (bool, string) {
		_, ids, answered := sink.state()
		d, want, open := countDelivered(t, rig.db), countAuthorizedEvents(t, rig.db), countOpenCharges(t, rig.db)
		return open == 0 && answered == want && d == want,
			fmt.Sprintf("%d charges not ended, %d charge.authorized, %d ids, %d answered, %d delivered", open, want, ids, answered, d)
	})
	t.Logf("all delivered %v after the restart", time.Since(restarted).Round(time.Millisecond))
	checkWebhookSink(t, rig.db, sink, info.MerchantID)
	for _, p := range []*proc{dev1, dev2} {
		p.checkNoRace(t)
	}
}

func closeOnce(s *hookSink) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.release:
	default:
		close(s.release)
	}
}

// registerEndpoint registers url for dev's demo merchant, for
// charge.authorized only.
func registerEndpoint(t *testing.T, info devInfo, url string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"url": url, "event_types": []string{"charge.authorized"}})
	req, _ := http.NewRequest("POST", info.HTTP+"/v1/webhook-endpoints", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+info.APIKey)
	req.Header.Set("Idempotency-Key", "crash-endpoint")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("register endpoint: %d", resp.StatusCode)
	}
}

func countAuthorizedEvents(t *testing.T, db *pgxpool.Pool) int {
	var n int
	if err := db.QueryRow(t.Context(), `SELECT count(*) FROM transaction_events WHERE type = 'charge.authorized'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func countOpenCharges(t *testing.T, db *pgxpool.Pool) int {
	var n int
	if err := db.QueryRow(t.Context(), `SELECT count(*) FROM transactions WHERE type = 'charge' AND status IN ('pending', 'reversing')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	var total int
	_ = db.QueryRow(t.Context(), `SELECT count(*) FROM transactions WHERE type = 'charge'`).Scan(&total)
	return n + webhookCrashCharges - total
}

func countDelivered(t *testing.T, db *pgxpool.Pool) int {
	var n int
	if err := db.QueryRow(t.Context(), `SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkWebhookSink: the webhook-ids received are exactly the merchant's
// charge.authorized event ids; a webhook-id received more than once came
// with the same body each time.
func checkWebhookSink(t *testing.T, db *pgxpool.Pool, sink *hookSink, merchant string) {
	t.Helper()
	rows, err := db.Query(t.Context(), `SELECT event_id::text FROM transaction_events WHERE merchant_id = $1 AND type = $2`,
		merchant, events.EventType(events.TypeCharge, events.StatusAuthorized))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for rows.Next() {
		var id string
		_ = rows.Scan(&id)
		want[id] = true
	}
	rows.Close()
	sink.mu.Lock()
	defer sink.mu.Unlock()
	dups := 0
	for id, bodies := range sink.bodies {
		if !want[id] {
			t.Errorf("webhook-id %s is no charge.authorized event of the merchant", id)
		}
		for _, b := range bodies[1:] {
			if !bytes.Equal(b, bodies[0]) {
				t.Errorf("webhook-id %s came again with another body", id)
			}
			dups++
		}
	}
	for id := range want {
		if len(sink.bodies[id]) == 0 {
			t.Errorf("event %s was never delivered", id)
		}
	}
	if len(want) < webhookCrashCharges/2 {
		t.Errorf("only %d charge.authorized events of %d charges", len(want), webhookCrashCharges)
	}
	t.Logf("%d events delivered, %d duplicates (same webhook-id and body)", len(sink.bodies), dups)
}
