package webhook_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/webhook"
)

// verify checks a request's signature with the reference library and
// secret alone.
func verify(t *testing.T, secret string, r request) error {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	return wh.Verify(r.Body, r.Header)
}

func TestDeliverySignedPerStandardWebhooks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rc := newReceiver(t, nil)
	e := b.newEndpoint(t, rc.srv.URL)
	b.run(t, b.config())

	ev := b.publish(t, "charge.succeeded")
	b.waitDelivery(t, e.ID, ev, store.DeliveryDelivered, 10*time.Second)
	got := rc.requests()
	if len(got) != 1 {
		t.Fatalf("requests: %d, want 1", len(got))
	}
	r := got[0]
	if err := verify(t, e.Secret, r); err != nil {
		t.Errorf("reference library: %v", err)
	}
	for h, want := range map[string]string{"webhook-id": ev.String(), "Content-Type": "application/json",
		"User-Agent": webhook.UserAgent} {
		if r.Header.Get(h) != want {
			t.Errorf("%s: %q, want %q", h, r.Header.Get(h), want)
		}
	}
	var body events.Event
	if err := json.Unmarshal(r.Body, &body); err != nil || body.ID != ev.String() || body.Type != "charge.succeeded" {
		t.Errorf("body %s: %v", r.Body, err)
	}

	// During a rotation both signatures are sent; each secret verifies alone.
	e = b.rotate(t, e, time.Hour)
	ev2 := b.publish(t, "charge.succeeded")
	b.waitDelivery(t, e.ID, ev2, store.DeliveryDelivered, 10*time.Second)
	r = rc.requests()[1]
	if n := len(strings.Fields(r.Header.Get("webhook-signature"))); n != 2 {
		t.Errorf("signatures during the overlap: %d, want 2 (%q)", n, r.Header.Get("webhook-signature"))
	}
	if err := verify(t, e.Secret, r); err != nil {
		t.Errorf("new secret alone: %v", err)
	}
	if err := verify(t, e.Before, r); err != nil {
		t.Errorf("previous secret alone: %v", err)
	}

	// After the overlap only the current secret signs.
	if _, err := b.st.Pool.Exec(t.Context(), `UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second'
		WHERE merchant_id = $1 AND id = $2`, b.merchant, e.ID); err != nil {
		t.Fatal(err)
	}
	ev3 := b.publish(t, "charge.succeeded")
	b.waitDelivery(t, e.ID, ev3, store.DeliveryDelivered, 10*time.Second)
	r = rc.requests()[2]
	if err := verify(t, e.Before, r); err == nil {
		t.Error("the previous secret still verifies after its overlap")
	}
	if err := verify(t, e.Secret, r); err != nil {
		t.Errorf("current secret: %v", err)
	}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	charges, refunds := newReceiver(t, nil), newReceiver(t, nil)
	ec := b.newEndpoint(t, charges.srv.URL, "charge.*")
	er := b.newEndpoint(t, refunds.srv.URL, "refund.succeeded")
	b.run(t, b.config())
	charge := b.publish(t, "charge.succeeded")
	refund := b.publish(t, "refund.succeeded")
	b.waitDelivery(t, ec.ID, charge, store.DeliveryDelivered, 10*time.Second)
	b.waitDelivery(t, er.ID, refund, store.DeliveryDelivered, 10*time.Second)
	if _, _, _, ok := b.delivery(t, ec.ID, refund); ok {
		t.Error("charge.* endpoint got a refund")
	}
	if _, _, _, ok := b.delivery(t, er.ID, charge); ok {
		t.Error("refund.succeeded endpoint got a charge")
	}
}

func TestFailingThenRecovering(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rc := newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 2 {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("database is down"))
		}
	})
	e := b.newEndpoint(t, rc.srv.URL)
	b.run(t, b.config())
	ev := b.publish(t, "charge.succeeded")
	b.waitDelivery(t, e.ID, ev, store.DeliveryDelivered, 10*time.Second)
	_, attempts, _, _ := b.delivery(t, e.ID, ev)
	if attempts != 3 {
		t.Errorf("attempts: %d, want 3", attempts)
	}
	rows, err := b.st.Pool.Query(t.Context(), `SELECT a.attempt, a.status_code, a.response_head FROM webhook_attempts a
		JOIN webhook_deliveries d ON d.merchant_id = a.merchant_id AND d.id = a.delivery_id
		WHERE d.merchant_id = $1 AND d.event_id = $2 ORDER BY a.attempt`, b.merchant, ev)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := []struct {
		code int
		head string
	}{{500, "database is down"}, {500, "database is down"}, {200, ""}}
	i := 0
	for rows.Next() {
		var n, code int
		var head string
		if err := rows.Scan(&n, &code, &head); err != nil {
			t.Fatal(err)
		}
		if i >= len(want) || n != i+1 || code != want[i].code || head != want[i].head {
			t.Errorf("attempt %d: %d %q", n, code, head)
		}
		i++
	}
	if i != 3 {
		t.Errorf("attempt rows: %d, want 3", i)
	}
	var failing *time.Time
	if err := b.st.Pool.QueryRow(t.Context(), `SELECT failing_since FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2`,
		b.merchant, e.ID).Scan(&failing); err != nil || failing != nil {
		t.Errorf("failing_since after a success: %v (%v)", failing, err)
	}
	got := rc.requests()
	if len(got) != 3 || got[0].Header.Get("webhook-id") != got[2].Header.Get("webhook-id") {
		t.Errorf("requests: %d; every attempt has the same webhook-id", len(got))
	}
}

func TestScheduleRunsOut(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	e := b.newEndpoint(t, rc.srv.URL)
	b.run(t, b.config()) // 3 retries
	ev := b.publish(t, "charge.succeeded")
	b.waitDelivery(t, e.ID, ev, store.DeliveryFailed, 10*time.Second)
	if _, attempts, last, _ := b.delivery(t, e.ID, ev); attempts != 4 || last != "HTTP 502" {
		t.Errorf("attempts %d, last error %q; want 4, HTTP 502", attempts, last)
	}
	if n := pendingWork(t, b); n != 0 {
		t.Errorf("work items left: %d", n)
	}
}

func pendingWork(t *testing.T, b *bundle) int {
	t.Helper()
	var n int
	if err := b.st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM work_items WHERE kind = $1`, store.WorkWebhookDelivery).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// disabledEvents returns the webhook_endpoint.disabled events in the outbox.
func disabledEvents(t *testing.T, b *bundle) []map[string]any {
	t.Helper()
	rows, err := b.st.Pool.Query(t.Context(), `SELECT payload FROM outbox WHERE subject = $1`,
		events.EventSubject(b.merchant.String(), events.WebhookEndpointDisabled))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var p []byte
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		var ev struct {
			Type string                    `json:"type"`
			Data map[string]map[string]any `json:"data"`
		}
		if err := json.NewDecoder(bytes.NewReader(p)).Decode(&ev); err != nil || ev.Type != events.WebhookEndpointDisabled {
			t.Fatalf("event %s: %v", p, err)
		}
		out = append(out, ev.Data["webhook_endpoint"])
	}
	return out
}

func endpointStatus(t *testing.T, b *bundle, id any) (status, reason string) {
	t.Helper()
	if err := b.st.Pool.QueryRow(t.Context(), `SELECT status, disabled_reason FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2`,
		b.merchant, id).Scan(&status, &reason); err != nil {
		t.Fatal(err)
	}
	return status, reason
}

func TestGoneDisablesEndpoint(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusGone) })
	e := b.newEndpoint(t, rc.srv.URL)
	b.run(t, b.config())
	ev := b.publish(t, "charge.succeeded")
	b.waitDelivery(t, e.ID, ev, store.DeliveryFailed, 10*time.Second)
	status, reason := endpointStatus(t, b, e.ID)
	if status != "disabled" || reason != "410 Gone from "+rc.srv.URL {
		t.Errorf("endpoint %s %q", status, reason)
	}
	evs := disabledEvents(t, b)
	if len(evs) != 1 || evs[0]["id"] != e.ID.String() || evs[0]["status"] != "disabled" ||
		evs[0]["disabled_reason"] != reason || evs[0]["url"] != rc.srv.URL {
		t.Errorf("disabled events: %v", evs)
	}
	// A disabled endpoint takes no attempt: a later event makes no delivery.
	ev3 := b.publish(t, "charge.succeeded")
	waitFor(t, 10*time.Second, "consumer caught up", func() bool { return caughtUp(t, b) })
	if _, _, _, ok := b.delivery(t, e.ID, ev3); ok {
		t.Error("a disabled endpoint got a delivery")
	}
	if n := len(rc.requests()); n != 1 {
		t.Errorf("requests: %d, want 1", n)
	}
}

// caughtUp says whether the dispatcher's consumer has acknowledged every
// event.
func caughtUp(t testing.TB, b *bundle) bool {
	c, err := b.js.Consumer(t.Context(), events.StreamEvents, webhook.ConsumerName)
	if err != nil {
		return false
	}
	info, err := c.Info(t.Context())
	return err == nil && info.NumPending == 0 && info.NumAckPending == 0
}

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rc := newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	})
	e := b.newEndpoint(t, rc.srv.URL)
	b.run(t, b.config()) // schedule: 200 ms
	ev := b.publish(t, "charge.succeeded")
	b.waitDelivery(t, e.ID, ev, store.DeliveryDelivered, 10*time.Second)
	got := rc.requests()
	if len(got) != 2 {
		t.Fatalf("requests: %d, want 2", len(got))
	}
	if gap := got[1].At.Sub(got[0].At); gap < 1900*time.Millisecond {
		t.Errorf("second attempt %s after a 429 with Retry-After: 2", gap)
	}
}
