package store

import (
	"time"

	"github.com/google/uuid"
)

// Webhook delivery statuses (webhook_deliveries.status).
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WorkWebhookDelivery is the work kind of a webhook delivery's next
// attempt; its payload names the delivery ({"delivery_id": "…"}).
const WorkWebhookDelivery = "webhook_delivery"

// WebhookEndpoint is a webhook_endpoints row. The secrets are sealed.
type WebhookEndpoint struct {
	MerchantID              uuid.UUID
	ID                      uuid.UUID
	URL                     string
	Description             string
	EventTypes              []string
	SecretSealed            []byte
	PreviousSecretSealed    []byte     // during a rotation's overlap
	PreviousSecretExpiresAt *time.Time // end of the overlap
	Status                  string     // enabled, disabled
	DisabledReason          string
	FailingSince            *time.Time
	MaxInFlight             int
	RatePerSecond           int
	CreatedAt, UpdatedAt    time.Time
	DeletedAt               *time.Time
}

// WebhookDelivery is a webhook_deliveries row.
type WebhookDelivery struct {
	MerchantID    uuid.UUID
	ID            uuid.UUID
	EndpointID    uuid.UUID
	EventID       uuid.UUID
	EventType     string
	TransactionID *uuid.UUID
	Payload       []byte // the event envelope as published: the body sent
	Status        string
	Attempts      int
	NextAttemptAt *time.Time
	LastStatus    *int
	LastError     string
	EventTime     time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	DeliveredAt   *time.Time
}

// WebhookAttempt is a webhook_attempts row.
type WebhookAttempt struct {
	MerchantID   uuid.UUID
	DeliveryID   uuid.UUID
	Attempt      int
	StartedAt    time.Time
	LatencyMS    int
	StatusCode   *int // nil: no answer
	ResponseHead string
	Error        string
}
