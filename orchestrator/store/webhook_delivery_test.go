package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// newWebhookEndpoint inserts an endpoint of the bundle's merchant.
func (b *bundle) newWebhookEndpoint(t *testing.T, maxInFlight, rate int) uuid.UUID {
	t.Helper()
	id := uuid.New()
	if _, err := b.st.Pool.Exec(t.Context(), `INSERT INTO webhook_endpoints (merchant_id, id, url, secret_sealed, max_in_flight, rate_per_second)
		VALUES ($1, $2, 'https://example.com', '\x00', $3, $4)`, b.merchant, id, maxInFlight, rate); err != nil {
		t.Fatal(err)
	}
	return id
}

func (b *bundle) newDeliveries(t *testing.T, endpoint uuid.UUID, events ...uuid.UUID) {
	t.Helper()
	if err := b.send(t, func(batch *store.Batch) {
		for _, ev := range events {
			batch.WebhookDeliveryInsert(store.WebhookDelivery{MerchantID: b.merchant, ID: uuid.NewSHA1(endpoint, ev[:]),
				EndpointID: endpoint, EventID: ev, EventType: "charge.succeeded", Payload: []byte(`{}`), EventTime: time.Now()})
		}
	}); err != nil {
		t.Fatal(err)
	}
}

func TestWebhookDeliveryInsertOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ep := b.newWebhookEndpoint(t, 4, 20)
	ev := uuid.New()
	b.newDeliveries(t, ep, ev)
	b.newDeliveries(t, ep, ev) // the event redelivered
	var deliveries, work int
	if err := b.st.Pool.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM webhook_deliveries), (SELECT count(*) FROM work_items)`).
		Scan(&deliveries, &work); err != nil {
		t.Fatal(err)
	}
	if deliveries != 1 || work != 1 {
		t.Errorf("deliveries %d, work items %d; want 1, 1", deliveries, work)
	}
}

func TestWebhookWorkClaimPerEndpointRoom(t *testing.T) {
	t.Parallel()
	b := setup(t)
	busy, capped, free := b.newWebhookEndpoint(t, 4, 20), b.newWebhookEndpoint(t, 2, 20), b.newWebhookEndpoint(t, 8, 3)
	for _, ep := range []uuid.UUID{busy, capped, free} {
		b.newDeliveries(t, ep, uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New())
	}
	claims, err := b.st.WebhookWorkClaim(t.Context(), 100, time.Minute, 0, map[uuid.UUID]int{busy: 0})
	if err != nil {
		t.Fatal(err)
	}
	per := map[uuid.UUID]int{}
	for _, c := range claims {
		per[c.EndpointID]++
	}
	// busy: at its limit; capped: its max_in_flight 2; free: its rate 3.
	if per[busy] != 0 || per[capped] != 2 || per[free] != 3 {
		t.Errorf("claimed per endpoint: busy %d, capped %d, free %d; want 0, 2, 3", per[busy], per[capped], per[free])
	}
	more, err := b.st.WebhookWorkClaim(t.Context(), 100, time.Minute, 0, map[uuid.UUID]int{busy: 1, capped: 0, free: 0})
	if err != nil {
		t.Fatal(err)
	}
	if len(more) != 1 || more[0].EndpointID != busy {
		t.Errorf("second claim: %d items, want one of busy", len(more))
	}
}

func TestWebhookOutcomeFencedByClaim(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ep := b.newWebhookEndpoint(t, 4, 20)
	ev := uuid.New()
	b.newDeliveries(t, ep, ev)
	stale, err := b.st.WebhookWorkClaim(t.Context(), 1, time.Millisecond, 0, nil)
	if err != nil || len(stale) != 1 {
		t.Fatalf("claim: %v %d", err, len(stale))
	}
	var current []store.WebhookClaim
	for deadline := time.Now().Add(5 * time.Second); len(current) == 0; { // until the 1 ms lease has run out
		if current, err = b.st.WebhookWorkClaim(t.Context(), 1, time.Minute, 0, nil); err != nil || time.Now().After(deadline) {
			t.Fatalf("reclaim: %v %d", err, len(current))
		}
	}
	id := uuid.NewSHA1(ep, ev[:])
	code := 200
	write := func(c store.WebhookClaim) error {
		return b.send(t, func(batch *store.Batch) {
			batch.WorkFinish(c.WorkItem)
			batch.WebhookAttemptInsert(store.WebhookAttempt{MerchantID: b.merchant, DeliveryID: id, Attempt: 1,
				StartedAt: time.Now(), StatusCode: &code})
			batch.WebhookDeliveryUpdate(store.WebhookDelivery{MerchantID: b.merchant, ID: id, Status: store.DeliveryDelivered,
				Attempts: 1, LastStatus: &code}, nil)
		})
	}
	if err := write(stale[0]); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("stale claim: %v, want ErrLeaseLost", err)
	}
	var attempts int
	if err := b.st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM webhook_attempts`).Scan(&attempts); err != nil || attempts != 0 {
		t.Fatalf("a stale claim wrote %d attempts (%v)", attempts, err)
	}
	if err := write(current[0]); err != nil {
		t.Fatalf("current claim: %v", err)
	}
}
