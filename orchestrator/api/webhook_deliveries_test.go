package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// deliveryShop is a merchant of the admin API with its API key.
type deliveryShop struct {
	ID  uuid.UUID
	Key string
}

func (a *adminAPI) newShop() deliveryShop {
	a.t.Helper()
	var created struct {
		ID     uuid.UUID `json:"id"`
		APIKey string    `json:"api_key"`
	}
	if status := a.do("POST", "/v1/admin/merchants", adminToken, `{"name":"Hook Shop"}`, &created); status != http.StatusCreated {
		a.t.Fatalf("create merchant: %d", status)
	}
	return deliveryShop{ID: created.ID, Key: created.APIKey}
}

// newEndpoint inserts an endpoint of s (the endpoints API is another
// change's) and n deliveries to it, each with its work item.
func (a *adminAPI) newEndpoint(s deliveryShop, n int) (uuid.UUID, []uuid.UUID) {
	a.t.Helper()
	ctx := a.t.Context()
	ep := uuid.New()
	if _, err := a.st.Pool.Exec(ctx, `INSERT INTO webhook_endpoints (merchant_id, id, url, secret_sealed)
		VALUES ($1, $2, 'https://example.com/hook', '\x00')`, s.ID, ep); err != nil {
		a.t.Fatal(err)
	}
	var ids []uuid.UUID
	err := a.st.InTx(ctx, func(tx pgx.Tx) error {
		var b store.Batch
		for range n {
			ev := uuid.New()
			ids = append(ids, uuid.NewSHA1(ep, ev[:]))
			b.WebhookDeliveryInsert(store.WebhookDelivery{MerchantID: s.ID, ID: ids[len(ids)-1], EndpointID: ep, EventID: ev,
				EventType: "charge.succeeded", Payload: []byte(`{}`), EventTime: time.Now()})
		}
		return b.Send(ctx, tx)
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return ep, ids
}

func (a *adminAPI) setStatus(s deliveryShop, id uuid.UUID, status string) {
	a.t.Helper()
	if _, err := a.st.Pool.Exec(a.t.Context(), `UPDATE webhook_deliveries SET status = $3 WHERE merchant_id = $1 AND id = $2`,
		s.ID, id, status); err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.st.Pool.Exec(a.t.Context(), `DELETE FROM work_items WHERE merchant_id = $1 AND payload->>'delivery_id' = $2::text`,
		s.ID, id); err != nil {
		a.t.Fatal(err)
	}
}

func (a *adminAPI) workFor(s deliveryShop, id uuid.UUID) int {
	a.t.Helper()
	var n int
	if err := a.st.Pool.QueryRow(a.t.Context(), `SELECT count(*) FROM work_items WHERE merchant_id = $1 AND kind = $3
		AND payload->>'delivery_id' = $2::text AND available_at <= now()`, s.ID, id, store.WorkWebhookDelivery).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

type deliveryList struct {
	Data []struct {
		ID         uuid.UUID `json:"id"`
		EndpointID uuid.UUID `json:"endpoint_id"`
		EventID    uuid.UUID `json:"event_id"`
		Status     string    `json:"status"`
		Attempts   []struct {
			Attempt    int  `json:"attempt"`
			StatusCode *int `json:"status_code"`
		} `json:"attempts"`
	} `json:"data"`
}

func TestWebhookDeliveriesListRetryReplay(t *testing.T) {
	t.Parallel()
	a := newAdminAPI(t)
	s, other := a.newShop(), a.newShop()
	ep, ids := a.newEndpoint(s, 3)
	otherEP, otherIDs := a.newEndpoint(other, 1)
	code := 500
	if _, err := a.st.Pool.Exec(t.Context(), `INSERT INTO webhook_attempts (merchant_id, delivery_id, attempt, started_at, latency_ms, status_code)
		VALUES ($1, $2, 1, now(), 12, $3)`, s.ID, ids[0], code); err != nil {
		t.Fatal(err)
	}

	var list deliveryList
	if st := a.do("GET", "/v1/webhook-deliveries", s.Key, "", &list); st != http.StatusOK || len(list.Data) != 3 {
		t.Fatalf("list: %d %+v", st, list)
	}
	for _, d := range list.Data {
		if d.EndpointID != ep {
			t.Errorf("another merchant's delivery listed: %+v", d)
		}
		if d.ID == ids[0] && (len(d.Attempts) != 1 || *d.Attempts[0].StatusCode != 500) {
			t.Errorf("attempts of %s: %+v", d.ID, d.Attempts)
		}
	}
	var one deliveryList
	if st := a.do("GET", "/v1/webhook-deliveries?event_id="+list.Data[1].EventID.String(), s.Key, "", &one); st != http.StatusOK ||
		len(one.Data) != 1 || one.Data[0].ID != list.Data[1].ID {
		t.Errorf("by event: %d %+v", st, one)
	}
	if st := a.do("GET", "/v1/webhook-deliveries?status=sent", s.Key, "", nil); st != http.StatusBadRequest {
		t.Errorf("bad status: %d", st)
	}

	// Retry: a failed delivery is pending again, with a work item due now.
	a.setStatus(s, ids[1], store.DeliveryFailed)
	var retried struct{ Status string }
	if st := a.do("POST", "/v1/webhook-deliveries/"+ids[1].String()+"/retry", s.Key, "", &retried); st != http.StatusAccepted ||
		retried.Status != store.DeliveryPending || a.workFor(s, ids[1]) != 1 {
		t.Errorf("retry: %d %+v, work %d", st, retried, a.workFor(s, ids[1]))
	}
	// A repeat leaves one work item.
	a.do("POST", "/v1/webhook-deliveries/"+ids[1].String()+"/retry", s.Key, "", nil)
	if n := a.workFor(s, ids[1]); n != 1 {
		t.Errorf("work items after a repeated retry: %d", n)
	}
	if st := a.do("POST", "/v1/webhook-deliveries/"+otherIDs[0].String()+"/retry", s.Key, "", nil); st != http.StatusNotFound {
		t.Errorf("another merchant's delivery: %d, want 404", st)
	}

	// Replay: every failed delivery since T.
	a.setStatus(s, ids[0], store.DeliveryFailed)
	a.setStatus(s, ids[2], store.DeliveryFailed)
	var replayed struct{ Replayed int }
	body := `{"since":"` + time.Now().Add(-time.Hour).Format(time.RFC3339) + `"}`
	if st := a.do("POST", "/v1/webhook-endpoints/"+ep.String()+"/replay", s.Key, body, &replayed); st != http.StatusOK || replayed.Replayed != 2 {
		t.Errorf("replay: %d %+v", st, replayed)
	}
	if a.workFor(s, ids[0]) != 1 || a.workFor(s, ids[2]) != 1 {
		t.Error("replayed deliveries have no work item")
	}
	if st := a.do("POST", "/v1/webhook-endpoints/"+ep.String()+"/replay", s.Key, body, &replayed); st != http.StatusOK || replayed.Replayed != 0 {
		t.Errorf("second replay: %d %+v", st, replayed)
	}
	future := `{"since":"` + time.Now().Add(time.Hour).Format(time.RFC3339) + `"}`
	a.setStatus(s, ids[0], store.DeliveryFailed)
	if st := a.do("POST", "/v1/webhook-endpoints/"+ep.String()+"/replay", s.Key, future, &replayed); st != http.StatusOK || replayed.Replayed != 0 {
		t.Errorf("replay since the future: %d %+v", st, replayed)
	}
	if st := a.do("POST", "/v1/webhook-endpoints/"+otherEP.String()+"/replay", s.Key, body, nil); st != http.StatusNotFound {
		t.Errorf("another merchant's endpoint: %d, want 404", st)
	}
	if st := a.do("POST", "/v1/webhook-endpoints/"+ep.String()+"/replay", s.Key, `{"since":"yesterday"}`, nil); st != http.StatusBadRequest {
		t.Errorf("bad since: %d", st)
	}
}
