package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/webhook"
)

// Bounds of a webhook endpoint's settings.
const (
	defaultMaxInFlight   = 4
	maxMaxInFlight       = 32
	defaultRatePerSecond = 20
	maxRatePerSecond     = 1000
	maxDescription       = 500
	// DefaultSecretOverlap is how long a rotated-out endpoint secret keeps
	// signing deliveries beside the new one; MaxSecretOverlap bounds it.
	DefaultSecretOverlap = 24 * time.Hour
	MaxSecretOverlap     = 7 * 24 * time.Hour
	// urlCheckTimeout bounds the registration's name resolution.
	urlCheckTimeout = 5 * time.Second
)

// webhookEndpointRequest is the body of POST /v1/webhook-endpoints.
type webhookEndpointRequest struct {
	URL           string   `json:"url"`
	Description   string   `json:"description"`
	EventTypes    []string `json:"event_types"`
	MaxInFlight   *int     `json:"max_in_flight"`
	RatePerSecond *int     `json:"rate_per_second"`
}

// normalize checks the request and fills in the defaults, all but the
// private-address check of the URL (see checkReachable); errors are
// *events.FieldError.
func (q *webhookEndpointRequest) normalize() error {
	if q.URL == "" {
		return events.Invalid("url", "is required: the http or https URL deliveries are POSTed to")
	}
	if err := webhook.CheckURL(context.Background(), q.URL, true, nil); err != nil {
		return events.Invalid("url", "%v", err)
	}
	if len(q.Description) > maxDescription {
		return events.Invalid("description", "at most %d bytes", maxDescription)
	}
	if q.EventTypes == nil {
		q.EventTypes = []string{}
	}
	if err := webhook.CheckFilters(q.EventTypes); err != nil {
		return events.Invalid("event_types", "%v", err)
	}
	if q.MaxInFlight == nil {
		q.MaxInFlight = ptr(defaultMaxInFlight)
	}
	if *q.MaxInFlight < 1 || *q.MaxInFlight > maxMaxInFlight {
		return events.Invalid("max_in_flight", "must be between 1 and %d (deliveries in flight at once)", maxMaxInFlight)
	}
	if q.RatePerSecond == nil {
		q.RatePerSecond = ptr(defaultRatePerSecond)
	}
	if *q.RatePerSecond < 1 || *q.RatePerSecond > maxRatePerSecond {
		return events.Invalid("rate_per_second", "must be between 1 and %d (deliveries started per second)", maxRatePerSecond)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// checkReachable refuses, unless private addresses are allowed, a URL whose
// host is or resolves to a private, loopback or link-local address. The
// deliverer checks every connection again at dial time.
func (q *webhookEndpointRequest) checkReachable(ctx context.Context, allowPrivate bool) error {
	ctx, cancel := context.WithTimeout(ctx, urlCheckTimeout)
	defer cancel()
	if err := webhook.CheckURL(ctx, q.URL, allowPrivate, net.DefaultResolver); err != nil {
		return events.Invalid("url", "%v; endpoints must be on the public internet (an instance run with --webhook-allow-private accepts others)", err)
	}
	return nil
}

// hash is the SHA-256 of the normalized request: a repeat with the same
// meaning hashes the same whatever its spelling (defaults left out or given).
func (q *webhookEndpointRequest) hash() []byte {
	b, _ := json.Marshal(q)
	h := sha256.Sum256(b)
	return h[:]
}

// webhookEndpointID is the id of the endpoint a merchant's Idempotency-Key
// creates.
func webhookEndpointID(merchantID uuid.UUID, key string) uuid.UUID {
	return uuid.NewSHA1(merchantID, []byte("webhook-endpoint:"+key))
}

// webhookEndpointResource is an endpoint as the API shows it: never a
// sealed value; the secret only in the answers that make one.
type webhookEndpointResource struct {
	ID                      string     `json:"id"`
	URL                     string     `json:"url"`
	Description             string     `json:"description"`
	EventTypes              []string   `json:"event_types"`
	Status                  string     `json:"status"`
	DisabledReason          string     `json:"disabled_reason"`
	MaxInFlight             int        `json:"max_in_flight"`
	RatePerSecond           int        `json:"rate_per_second"`
	CreatedAt               time.Time  `json:"created_at"`
	UpdatedAt               time.Time  `json:"updated_at"`
	PreviousSecretExpiresAt *time.Time `json:"previous_secret_expires_at,omitempty"`
	Secret                  string     `json:"secret,omitempty"`
}

func webhookEndpointOf(e *store.WebhookEndpoint, secret string) webhookEndpointResource {
	types := e.EventTypes
	if types == nil {
		types = []string{}
	}
	r := webhookEndpointResource{ID: e.ID.String(), URL: e.URL, Description: e.Description, EventTypes: types,
		Status: e.Status, DisabledReason: e.DisabledReason, MaxInFlight: e.MaxInFlight, RatePerSecond: e.RatePerSecond,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(), Secret: secret}
	if e.PreviousSecretExpiresAt != nil {
		t := e.PreviousSecretExpiresAt.UTC()
		r.PreviousSecretExpiresAt = &t
	}
	return r
}

// parseSecretOverlap reads rotate-secret's overlap ("": the default).
func parseSecretOverlap(s string) (time.Duration, error) {
	if s == "" {
		return DefaultSecretOverlap, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || d > MaxSecretOverlap {
		return 0, events.Invalid("overlap", "must be a duration between 0s and 168h, such as \"24h\"")
	}
	return d, nil
}
