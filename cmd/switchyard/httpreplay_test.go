package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/switchyard/switchyard/events"
)

// TestHTTPRepeatReturnsFirstAnswer: a repeat of a finished request returns
// the first answer as it was sent (contract §4), not the transaction as it
// is now; a repeat with another body is still 422.
func TestHTTPRepeatReturnsFirstAnswer(t *testing.T) {
	e := newEnv(t)
	e.simFault(`{"path":"/v2/charges","method":"POST","delay_ms":1500,"count":1}`) // the charge stays pending a while
	m := e.newMerchant("15m")
	first := e.rawDo("POST", "/v1/charges", m.apiKey, "first-1", chargeBody("ref-first"))
	var tx events.Transaction
	if err := json.Unmarshal(first.body, &tx); err != nil || first.status != http.StatusAccepted || tx.Status != events.StatusPending {
		t.Fatalf("first answer: %d %s", first.status, first.body)
	}
	m.waitStatus(tx.ID, events.StatusReversed) // the charge moved on: provider time-out, reversed
	again := e.rawDo("POST", "/v1/charges", m.apiKey, "first-1", chargeBody("ref-first"))
	if again.status != first.status || !bytes.Equal(again.body, first.body) {
		t.Fatalf("repeat: %d %s\nfirst: %d %s", again.status, again.body, first.status, first.body)
	}
	if again.header.Get("Idempotent-Replayed") != "true" || again.header.Get("Location") != first.header.Get("Location") {
		t.Errorf("repeat headers: %v", again.header)
	}
	other := e.rawDo("POST", "/v1/charges", m.apiKey, "first-1", chargeBody("ref-other"))
	if p := other.problem(t); other.status != http.StatusUnprocessableEntity || p["code"] != events.ReasonIdempotencyConflict {
		t.Fatalf("other body: %d %s", other.status, other.body)
	}
}
