package webhook

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// disabledEvent is the envelope of webhook_endpoint.disabled.
type disabledEvent struct {
	SpecVersion     string       `json:"specversion"`
	ID              string       `json:"id"`
	Source          string       `json:"source"`
	Type            string       `json:"type"`
	Time            time.Time    `json:"time"`
	DataContentType string       `json:"datacontenttype"`
	MerchantID      string       `json:"merchantid"`
	Data            disabledData `json:"data"`
}

type disabledData struct {
	WebhookEndpoint disabledEndpoint `json:"webhook_endpoint"`
}

type disabledEndpoint struct {
	ID             string `json:"id"`
	URL            string `json:"url"`
	Status         string `json:"status"`
	DisabledReason string `json:"disabled_reason"`
}

// disabledRow is the outbox row of the webhook_endpoint.disabled event of
// endpoint e, disabled at now for reason.
func disabledRow(e store.WebhookEndpoint, reason string, now time.Time) (store.OutboxRow, error) {
	id := uuid.NewString()
	merchant := e.MerchantID.String()
	body, err := json.Marshal(disabledEvent{SpecVersion: events.SpecVersion, ID: id, Source: events.Source,
		Type: events.WebhookEndpointDisabled, Time: now.UTC(), DataContentType: "application/json", MerchantID: merchant,
		Data: disabledData{disabledEndpoint{ID: e.ID.String(), URL: e.URL, Status: "disabled", DisabledReason: reason}}})
	if err != nil {
		return store.OutboxRow{}, err
	}
	return store.OutboxRow{MerchantID: e.MerchantID, PartitionKey: e.ID.String(),
		Subject: events.EventSubject(merchant, events.WebhookEndpointDisabled), MsgID: id, Payload: body}, nil
}
