package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Deliveries listed at once: default and most.
const (
	deliveriesDefaultLimit = 50
	deliveriesMaxLimit     = 100
)

// webhookDelivery is the delivery resource, with its attempts.
type webhookDelivery struct {
	ID            uuid.UUID        `json:"id"`
	EndpointID    uuid.UUID        `json:"endpoint_id"`
	EventID       uuid.UUID        `json:"event_id"`
	EventType     string           `json:"event_type"`
	TransactionID *uuid.UUID       `json:"transaction_id,omitempty"`
	Status        string           `json:"status"`
	AttemptCount  int              `json:"attempt_count"`
	NextAttemptAt *time.Time       `json:"next_attempt_at,omitempty"`
	LastStatus    *int             `json:"last_status,omitempty"`
	LastError     string           `json:"last_error,omitempty"`
	EventTime     time.Time        `json:"event_time"`
	CreatedAt     time.Time        `json:"created_at"`
	UpdatedAt     time.Time        `json:"updated_at"`
	DeliveredAt   *time.Time       `json:"delivered_at,omitempty"`
	Attempts      []webhookAttempt `json:"attempts"`
}

type webhookAttempt struct {
	Attempt      int       `json:"attempt"`
	StartedAt    time.Time `json:"started_at"`
	LatencyMS    int       `json:"latency_ms"`
	StatusCode   *int      `json:"status_code,omitempty"`
	ResponseHead string    `json:"response_head,omitempty"`
	Error        string    `json:"error,omitempty"`
}

func deliveryResource(d store.WebhookDelivery, as []store.WebhookAttempt) webhookDelivery {
	out := webhookDelivery{ID: d.ID, EndpointID: d.EndpointID, EventID: d.EventID, EventType: d.EventType,
		TransactionID: d.TransactionID, Status: d.Status, AttemptCount: d.Attempts, NextAttemptAt: d.NextAttemptAt,
		LastStatus: d.LastStatus, LastError: d.LastError, EventTime: d.EventTime, CreatedAt: d.CreatedAt,
		UpdatedAt: d.UpdatedAt, DeliveredAt: d.DeliveredAt, Attempts: make([]webhookAttempt, 0, len(as))}
	for _, a := range as {
		out.Attempts = append(out.Attempts, webhookAttempt{Attempt: a.Attempt, StartedAt: a.StartedAt,
			LatencyMS: a.LatencyMS, StatusCode: a.StatusCode, ResponseHead: a.ResponseHead, Error: a.Error})
	}
	return out
}

// deliveryFilter reads the query of GET /v1/webhook-deliveries.
func deliveryFilter(r *http.Request) (store.WebhookDeliveryFilter, error) {
	q := r.URL.Query()
	f := store.WebhookDeliveryFilter{Status: q.Get("status"), Limit: deliveriesDefaultLimit}
	var err error
	for name, dst := range map[string]*uuid.UUID{"event_id": &f.EventID, "endpoint_id": &f.EndpointID} {
		if v := q.Get(name); v != "" {
			if *dst, err = uuid.Parse(v); err != nil {
				return f, events.Invalid(name, "not a UUID")
			}
		}
	}
	switch f.Status {
	case "", store.DeliveryPending, store.DeliveryDelivered, store.DeliveryFailed:
	default:
		return f, events.Invalid("status", "one of pending, delivered, failed")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > deliveriesMaxLimit {
			return f, events.Invalid("limit", "a number from 1 to %d", deliveriesMaxLimit)
		}
		f.Limit = n
	}
	return f, nil
}

// listDeliveries is GET /v1/webhook-deliveries?event_id=&status=&endpoint_id=&limit=:
// the merchant's deliveries, newest first, each with its attempts.
func (a *API) listDeliveries(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	f, err := deliveryFilter(r)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	st := a.cfg.Engine.Store()
	ds, err := st.WebhookDeliveryList(r.Context(), mid, f)
	if err != nil {
		a.internal(w, err)
		return
	}
	ids := make([]uuid.UUID, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	as, err := st.WebhookAttemptsOf(r.Context(), mid, ids)
	if err != nil {
		a.internal(w, err)
		return
	}
	out := make([]webhookDelivery, len(ds))
	for i, d := range ds {
		out[i] = deliveryResource(d, as[d.ID])
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": out})
}

// retryDelivery is POST /v1/webhook-deliveries/{id}/retry: a new attempt
// now, with the same webhook-id. Repeating it is harmless (the delivery is
// pending and due now either way), so it takes no Idempotency-Key.
func (a *API) retryDelivery(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	id, err := uuid.Parse(r.PathValue("id"))
	st := a.cfg.Engine.Store()
	if err == nil {
		err = st.WebhookDeliveryRetry(r.Context(), mid, id)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		a.internal(w, err)
		return
	}
	var d *store.WebhookDelivery
	if err == nil {
		d, err = st.WebhookDeliveryGet(r.Context(), mid, id)
	}
	if errors.Is(err, store.ErrNotFound) || d == nil {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such webhook delivery")
		return
	}
	if err != nil {
		a.internal(w, err)
		return
	}
	a.cfg.Log.Info("webhook delivery retry", "merchant", mid, "delivery", id, "endpoint", d.EndpointID, "event", d.EventID)
	writeJSON(w, http.StatusAccepted, deliveryResource(*d, nil))
}

// replayEndpoint is POST /v1/webhook-endpoints/{id}/replay {"since":
// RFC 3339}: every failed delivery of the endpoint since then gets a new
// attempt; answers {"replayed": n}. A repeat replays nothing more (the
// deliveries are pending again), so it takes no Idempotency-Key.
func (a *API) replayEndpoint(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such webhook endpoint")
		return
	}
	var body struct {
		Since string `json:"since"`
	}
	if err := decodeBody(r, &body); err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	since, err := time.Parse(time.RFC3339Nano, body.Since)
	if err != nil {
		problem(w, http.StatusBadRequest, events.ReasonInvalidRequest, "since", "an RFC 3339 time is required")
		return
	}
	n, err := a.cfg.Engine.Store().WebhookEndpointReplay(r.Context(), mid, id, since)
	if errors.Is(err, store.ErrNotFound) {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such webhook endpoint")
		return
	}
	if err != nil {
		a.internal(w, err)
		return
	}
	a.cfg.Log.Info("webhook endpoint replay", "merchant", mid, "endpoint", id, "since", since, "replayed", n)
	writeJSON(w, http.StatusOK, map[string]int{"replayed": n})
}
