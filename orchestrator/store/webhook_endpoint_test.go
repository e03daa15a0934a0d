package store_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// newEndpoint creates an endpoint of merchant with a distinct sealed secret.
func (b *bundle) newEndpoint(t *testing.T, merchant uuid.UUID, url string) *store.WebhookEndpoint {
	t.Helper()
	c, err := b.st.WebhookEndpointCreate(t.Context(), &store.WebhookEndpointCreateParams{MerchantID: merchant, ID: uuid.New(),
		URL: url, EventTypes: []string{"charge.*"}, SecretSealed: []byte("sealed " + url), MaxInFlight: 4, RatePerSecond: 20,
		RequestHash: []byte("hash " + url)})
	if err != nil || !c.Created {
		t.Fatalf("create %s: %+v %v", url, c, err)
	}
	return c.Endpoint
}

// TestWebhookEndpointCreate: an endpoint is stored as given; creating the
// same id again (a repeat of its request) makes nothing and returns the
// stored row and the first request's hash.
func TestWebhookEndpointCreate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	p := &store.WebhookEndpointCreateParams{MerchantID: b.merchant, ID: uuid.New(), URL: "https://shop.example/hooks",
		Description: "orders", EventTypes: []string{"charge.*", "refund.succeeded"}, SecretSealed: []byte{1, 2, 3},
		MaxInFlight: 8, RatePerSecond: 50, RequestHash: []byte("first")}
	c, err := b.st.WebhookEndpointCreate(ctx, p)
	if err != nil || !c.Created || !bytes.Equal(c.RequestHash, p.RequestHash) {
		t.Fatalf("create: %+v %v", c, err)
	}
	ep := c.Endpoint
	if ep.ID != p.ID || ep.MerchantID != b.merchant || ep.URL != p.URL || ep.Description != "orders" ||
		len(ep.EventTypes) != 2 || ep.EventTypes[1] != "refund.succeeded" || !bytes.Equal(ep.SecretSealed, p.SecretSealed) ||
		ep.Status != "enabled" || ep.MaxInFlight != 8 || ep.RatePerSecond != 50 || ep.CreatedAt.IsZero() || ep.DeletedAt != nil {
		t.Fatalf("stored %+v", ep)
	}
	again := *p
	again.URL, again.SecretSealed, again.RequestHash = "https://other.example/", []byte{9}, []byte("second")
	c, err = b.st.WebhookEndpointCreate(ctx, &again)
	if err != nil || c.Created || c.Endpoint.URL != p.URL || !bytes.Equal(c.Endpoint.SecretSealed, p.SecretSealed) ||
		!bytes.Equal(c.RequestHash, []byte("first")) {
		t.Fatalf("repeat: %+v %v, want the first endpoint and its request hash", c, err)
	}
	// The same id under another merchant is another endpoint.
	other := *p
	other.MerchantID = b.newMerchant(t)
	if c, err := b.st.WebhookEndpointCreate(ctx, &other); err != nil || !c.Created {
		t.Fatalf("same id, other merchant: %+v %v", c, err)
	}
}

// TestWebhookEndpointGetListDelete: get and list see a merchant's live
// endpoints only (newest first); a deleted endpoint is gone from both, and
// another merchant's id is not found.
func TestWebhookEndpointGetListDelete(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	first := b.newEndpoint(t, b.merchant, "https://a.example/")
	second := b.newEndpoint(t, b.merchant, "https://b.example/")
	third := b.newEndpoint(t, b.merchant, "https://c.example/")
	stranger := b.newMerchant(t)
	theirs := b.newEndpoint(t, stranger, "https://theirs.example/")

	got, err := b.st.WebhookEndpointGet(ctx, b.merchant, second.ID)
	if err != nil || got.URL != second.URL {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := b.st.WebhookEndpointGet(ctx, b.merchant, theirs.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another merchant's endpoint: %v", err)
	}
	if err := b.st.WebhookEndpointDelete(ctx, b.merchant, theirs.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete another merchant's endpoint: %v", err)
	}
	if err := b.st.WebhookEndpointDelete(ctx, b.merchant, second.ID); err != nil {
		t.Fatal(err)
	}
	if err := b.st.WebhookEndpointDelete(ctx, b.merchant, second.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := b.st.WebhookEndpointGet(ctx, b.merchant, second.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("get a deleted endpoint: %v", err)
	}
	list, err := b.st.WebhookEndpointList(ctx, b.merchant)
	if err != nil || len(list) != 2 || list[0].ID != third.ID || list[1].ID != first.ID {
		t.Fatalf("list: %d endpoints %v, want the third then the first", len(list), err)
	}
	if _, err := b.st.WebhookEndpointGet(ctx, stranger, theirs.ID); err != nil {
		t.Fatalf("the other merchant's own endpoint: %v", err)
	}
	found, err := b.st.WebhookEndpointFind(ctx, b.merchant, second.ID)
	if err != nil || found.Endpoint.DeletedAt == nil || found.Created || !bytes.Equal(found.RequestHash, []byte("hash "+second.URL)) {
		t.Fatalf("find the deleted endpoint: %+v %v, want its row with deleted_at and its request hash", found, err)
	}
	if _, err := b.st.WebhookEndpointFind(ctx, stranger, second.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("find another merchant's endpoint: %v", err)
	}
}

// TestWebhookEndpointRotate: the current secret becomes the previous one
// until now + overlap, the new one is current; another merchant's or a
// deleted endpoint is not found.
func TestWebhookEndpointRotate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	ep := b.newEndpoint(t, b.merchant, "https://a.example/")
	before := time.Now()
	got, err := b.st.WebhookEndpointRotate(ctx, b.merchant, ep.ID, []byte("new"), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.SecretSealed, []byte("new")) || !bytes.Equal(got.PreviousSecretSealed, ep.SecretSealed) ||
		got.PreviousSecretExpiresAt == nil || got.PreviousSecretExpiresAt.Before(before.Add(24*time.Hour-time.Minute)) ||
		got.PreviousSecretExpiresAt.After(time.Now().Add(24*time.Hour+time.Minute)) {
		t.Fatalf("rotated: %+v", got)
	}
	again, err := b.st.WebhookEndpointRotate(ctx, b.merchant, ep.ID, []byte("newer"), time.Hour)
	if err != nil || !bytes.Equal(again.PreviousSecretSealed, []byte("new")) || !bytes.Equal(again.SecretSealed, []byte("newer")) {
		t.Fatalf("second rotation: %+v %v", again, err)
	}
	stranger := b.newMerchant(t)
	if _, err := b.st.WebhookEndpointRotate(ctx, stranger, ep.ID, []byte("x"), time.Hour); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another merchant rotated it: %v", err)
	}
	if err := b.st.WebhookEndpointDelete(ctx, b.merchant, ep.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.st.WebhookEndpointRotate(ctx, b.merchant, ep.ID, []byte("x"), time.Hour); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("rotated a deleted endpoint: %v", err)
	}
}

// TestWebhookEndpointSetStatus: disabling keeps the first reason (a
// second disable does not overwrite why it was disabled); enabling clears
// the reason and failing_since.
func TestWebhookEndpointSetStatus(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	ep := b.newEndpoint(t, b.merchant, "https://a.example/")
	if _, err := b.st.Pool.Exec(ctx, `UPDATE webhook_endpoints SET failing_since = now() - interval '1 day' WHERE id = $1`, ep.ID); err != nil {
		t.Fatal(err)
	}
	got, err := b.st.WebhookEndpointSetStatus(ctx, b.merchant, ep.ID, store.WebhookEndpointDisabled, "410 Gone from https://a.example/")
	if err != nil || got.Status != "disabled" || got.DisabledReason != "410 Gone from https://a.example/" || got.FailingSince == nil {
		t.Fatalf("disable: %+v %v", got, err)
	}
	got, err = b.st.WebhookEndpointSetStatus(ctx, b.merchant, ep.ID, store.WebhookEndpointDisabled, "disabled by the merchant")
	if err != nil || got.DisabledReason != "410 Gone from https://a.example/" {
		t.Fatalf("second disable: %+v %v, want the first reason kept", got, err)
	}
	got, err = b.st.WebhookEndpointSetStatus(ctx, b.merchant, ep.ID, store.WebhookEndpointEnabled, "")
	if err != nil || got.Status != "enabled" || got.DisabledReason != "" || got.FailingSince != nil {
		t.Fatalf("enable: %+v %v", got, err)
	}
	stranger := b.newMerchant(t)
	if _, err := b.st.WebhookEndpointSetStatus(ctx, stranger, ep.ID, store.WebhookEndpointDisabled, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another merchant disabled it: %v", err)
	}
	if _, err := b.st.WebhookEndpointSetStatus(ctx, b.merchant, ep.ID, "paused", ""); err == nil {
		t.Fatal("status paused accepted")
	}
}
