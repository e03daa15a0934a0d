package api

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/webhook"
)

// reasonDisabledByMerchant is the disabled_reason of an endpoint its
// merchant disabled.
const reasonDisabledByMerchant = "disabled by the merchant"

// webhookEndpointRoutes registers a merchant's webhook endpoint routes
// (contract §4, §5). Every one is scoped by the merchant of the API key:
// another merchant's endpoint is not found.
func (a *API) webhookEndpointRoutes(mux *routeMux) {
	mux.HandleFunc("POST /v1/webhook-endpoints", a.merchant(a.createWebhookEndpoint))
	mux.HandleFunc("GET /v1/webhook-endpoints", a.merchant(a.listWebhookEndpoints))
	mux.HandleFunc("GET /v1/webhook-endpoints/{id}", a.merchant(a.withEndpointID(a.getWebhookEndpoint)))
	mux.HandleFunc("DELETE /v1/webhook-endpoints/{id}", a.merchant(a.withEndpointID(a.deleteWebhookEndpoint)))
	mux.HandleFunc("POST /v1/webhook-endpoints/{id}/rotate-secret", a.merchant(a.withEndpointID(a.rotateWebhookSecret)))
	mux.HandleFunc("POST /v1/webhook-endpoints/{id}/disable", a.merchant(a.withEndpointID(a.setWebhookEndpointStatus(store.WebhookEndpointDisabled))))
	mux.HandleFunc("POST /v1/webhook-endpoints/{id}/enable", a.merchant(a.withEndpointID(a.setWebhookEndpointStatus(store.WebhookEndpointEnabled))))
}

type endpointHandler func(w http.ResponseWriter, r *http.Request, mid, id uuid.UUID)

// withEndpointID parses the {id} path value; a malformed one is not found.
func (a *API) withEndpointID(h endpointHandler) merchantHandler {
	return func(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
		id, err := uuid.Parse(r.PathValue("id"))
		if err != nil {
			endpointNotFound(w)
			return
		}
		h(w, r, mid, id)
	}
}

func endpointNotFound(w http.ResponseWriter) {
	problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such webhook endpoint")
}

// endpointFailed answers a store error: not found, or unavailable.
func (a *API) endpointFailed(w http.ResponseWriter, err error) {
	if errors.Is(err, store.ErrNotFound) {
		endpointNotFound(w)
		return
	}
	a.internal(w, err)
}

// createWebhookEndpoint is POST /v1/webhook-endpoints: 201 with the
// endpoint and its secret, shown in this answer only (and in the answer to
// a repeat of this request). The endpoint's id is derived from the
// Idempotency-Key, so a repeat finds it; a reuse of the key with another
// body is 422.
func (a *API) createWebhookEndpoint(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > events.MaxIDLength {
		problem(w, http.StatusBadRequest, events.ReasonInvalidRequest, "Idempotency-Key", "an Idempotency-Key header (1-255 characters) is required")
		return
	}
	var req webhookEndpointRequest
	if err := decodeBody(r, &req); err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	if err := req.normalize(); err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	ctx, id := r.Context(), webhookEndpointID(mid, key)
	found, err := a.cfg.Engine.Store().WebhookEndpointFind(ctx, mid, id)
	if err == nil {
		a.repeatCreate(w, r, found, req.hash())
		return
	}
	if !errors.Is(err, store.ErrNotFound) {
		a.internal(w, err)
		return
	}
	if err := req.checkReachable(ctx, a.cfg.WebhookAllowPrivate); err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	a.insertWebhookEndpoint(w, r, mid, id, &req)
}

// insertWebhookEndpoint makes the endpoint's secret, seals it and stores
// the endpoint; should a concurrent request with the key have stored it
// first, this one is answered as its repeat.
func (a *API) insertWebhookEndpoint(w http.ResponseWriter, r *http.Request, mid, id uuid.UUID, req *webhookEndpointRequest) {
	whsec, err := webhook.NewSecret()
	if err != nil {
		a.internal(w, err)
		return
	}
	c, err := a.cfg.Engine.Store().WebhookEndpointCreate(r.Context(), &store.WebhookEndpointCreateParams{
		MerchantID: mid, ID: id, URL: req.URL, Description: req.Description, EventTypes: req.EventTypes,
		SecretSealed: a.sealEndpointSecret(mid, id, whsec), MaxInFlight: *req.MaxInFlight,
		RatePerSecond: *req.RatePerSecond, RequestHash: req.hash()})
	if err != nil {
		a.internal(w, err)
		return
	}
	if !c.Created {
		a.repeatCreate(w, r, c, req.hash())
		return
	}
	a.cfg.Log.Info("webhook endpoint created", "merchant", mid, "endpoint", id, "event_types", req.EventTypes)
	writeJSON(w, http.StatusCreated, webhookEndpointOf(c.Endpoint, whsec))
}

// repeatCreate answers a create whose Idempotency-Key made found: the same
// endpoint and its current secret (re-opened from its sealed form) for the
// same request, 422 for another one, 409 once the endpoint is deleted.
func (a *API) repeatCreate(w http.ResponseWriter, r *http.Request, found *store.WebhookEndpointCreated, hash []byte) {
	if !bytes.Equal(found.RequestHash, hash) {
		problem(w, http.StatusUnprocessableEntity, events.ReasonIdempotencyConflict, "Idempotency-Key",
			"this Idempotency-Key was used with another request")
		return
	}
	ep := found.Endpoint
	if ep.DeletedAt != nil {
		problem(w, http.StatusConflict, events.ReasonInvalidState, "Idempotency-Key",
			"the webhook endpoint this Idempotency-Key created has been deleted; create another with a new key")
		return
	}
	whsec, err := a.openEndpointSecret(ep.MerchantID, ep.ID, ep.SecretSealed)
	if err != nil {
		a.internal(w, err)
		return
	}
	w.Header().Set(headerReplayed, "true")
	writeJSON(w, http.StatusCreated, webhookEndpointOf(ep, whsec))
}

func (a *API) sealEndpointSecret(mid, id uuid.UUID, whsec string) []byte {
	return a.cfg.Engine.Sealer().Seal([]byte(whsec), secret.WebhookEndpointSecretAAD(mid.String(), id.String()))
}

func (a *API) openEndpointSecret(mid, id uuid.UUID, sealed []byte) (string, error) {
	plain, err := a.cfg.Engine.Sealer().Open(sealed, secret.WebhookEndpointSecretAAD(mid.String(), id.String()))
	if err != nil {
		return "", errors.New("webhook endpoint " + id.String() + ": its sealed secret does not open: " + err.Error())
	}
	return string(plain), nil
}

// listWebhookEndpoints is GET /v1/webhook-endpoints: the merchant's live
// endpoints, newest first, without secrets.
func (a *API) listWebhookEndpoints(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	eps, err := a.cfg.Engine.Store().WebhookEndpointList(r.Context(), mid)
	if err != nil {
		a.internal(w, err)
		return
	}
	out := make([]webhookEndpointResource, len(eps))
	for i, e := range eps {
		out[i] = webhookEndpointOf(e, "")
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": out})
}

// getWebhookEndpoint is GET /v1/webhook-endpoints/{id}, without secrets.
func (a *API) getWebhookEndpoint(w http.ResponseWriter, r *http.Request, mid, id uuid.UUID) {
	ep, err := a.cfg.Engine.Store().WebhookEndpointGet(r.Context(), mid, id)
	if err != nil {
		a.endpointFailed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, webhookEndpointOf(ep, ""))
}

// deleteWebhookEndpoint is DELETE /v1/webhook-endpoints/{id}: 204, and the
// endpoint gets nothing more (its pending deliveries fail when due).
func (a *API) deleteWebhookEndpoint(w http.ResponseWriter, r *http.Request, mid, id uuid.UUID) {
	if err := a.cfg.Engine.Store().WebhookEndpointDelete(r.Context(), mid, id); err != nil {
		a.endpointFailed(w, err)
		return
	}
	a.cfg.Log.Info("webhook endpoint deleted", "merchant", mid, "endpoint", id)
	w.WriteHeader(http.StatusNoContent)
}

// rotateWebhookSecret is POST /v1/webhook-endpoints/{id}/rotate-secret,
// body {"overlap":"24h"} (optional; 24 h by default, at most 7 days): a new
// secret, shown in this answer only; deliveries are signed with it and,
// until previous_secret_expires_at, with the one it replaces too.
func (a *API) rotateWebhookSecret(w http.ResponseWriter, r *http.Request, mid, id uuid.UUID) {
	var body struct {
		Overlap string `json:"overlap"`
	}
	if err := decodeOptionalBody(r, &body); err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	overlap, err := parseSecretOverlap(body.Overlap)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	whsec, err := webhook.NewSecret()
	if err != nil {
		a.internal(w, err)
		return
	}
	ep, err := a.cfg.Engine.Store().WebhookEndpointRotate(r.Context(), mid, id, a.sealEndpointSecret(mid, id, whsec), overlap)
	if err != nil {
		a.endpointFailed(w, err)
		return
	}
	a.cfg.Log.Info("webhook endpoint secret rotated", "merchant", mid, "endpoint", id,
		"previous_secret_expires_at", ep.PreviousSecretExpiresAt)
	writeJSON(w, http.StatusOK, webhookEndpointOf(ep, whsec))
}

// setWebhookEndpointStatus is POST /v1/webhook-endpoints/{id}/disable and
// /enable. Enabling clears the disabled reason and the endpoint's failing
// streak. A merchant's own disable emits no webhook_endpoint.disabled
// event: that event tells of what Switchyard did (a 410, 5 days of
// failures).
func (a *API) setWebhookEndpointStatus(status string) endpointHandler {
	return func(w http.ResponseWriter, r *http.Request, mid, id uuid.UUID) {
		reason := ""
		if status == store.WebhookEndpointDisabled {
			reason = reasonDisabledByMerchant
		}
		ep, err := a.cfg.Engine.Store().WebhookEndpointSetStatus(r.Context(), mid, id, status, reason)
		if err != nil {
			a.endpointFailed(w, err)
			return
		}
		a.cfg.Log.Info("webhook endpoint "+status, "merchant", mid, "endpoint", id)
		writeJSON(w, http.StatusOK, webhookEndpointOf(ep, ""))
	}
}
