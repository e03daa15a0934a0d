package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
)

// TestTimeline: a charge authorized, refunded by a void; the charge's
// timeline has, in order, its commands, its transitions with what caused
// them and what was decided, its events and its provider calls (redacted,
// with latency), and links the refund both ways; another merchant gets 404.
func TestTimeline(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	id := natsTransport{}.create(m, "tl-1", chargeData("tl-1", "10.00"))
	m.waitStatus(id, events.StatusAuthorized)
	code, r := m.post("/v1/refunds", "tl-r1", map[string]any{"transaction_id": id})
	if code != http.StatusAccepted {
		t.Fatalf("refund: %d %v", code, r)
	}
	refundID := r["id"].(string)
	m.waitStatus(refundID, events.StatusSucceeded)
	m.waitStatus(id, events.StatusVoided)

	var tl api.Timeline
	if code := e.do("GET", "/v1/transactions/"+id+"/timeline", m.apiKey, "", "", &tl); code != http.StatusOK {
		t.Fatalf("timeline: %d", code)
	}
	var kinds []string
	for i, en := range tl.Entries {
		if i > 0 && en.At.Before(tl.Entries[i-1].At) {
			t.Errorf("entry %d (%s) at %s before the one before it", i, en.Kind, en.At)
		}
		switch en.Kind {
		case "command":
			kinds = append(kinds, "command "+en.Command.Type)
		case "transition":
			kinds = append(kinds, "transition "+en.Transition.From+"→"+en.Transition.To+" ["+strings.Join(en.Transition.Effects, "; ")+"] by "+en.Transition.Cause)
		case "event":
			kinds = append(kinds, "event "+en.Event.Type)
		case "provider_call":
			kinds = append(kinds, "call "+en.ProviderCall.Operation+" "+en.ProviderCall.Outcome)
			if len(en.ProviderCall.Exchanges) < 10 {
				t.Errorf("provider call %s without its exchanges: %s", en.ProviderCall.Operation, en.ProviderCall.Exchanges)
			}
		}
	}
	got := strings.Join(kinds, "\n")
	for _, want := range []string{
		"command charge.create",
		"transition →pending [call charge] by command charge.create tl-1",
		"event charge.pending",
		"call charge ok",
		"transition pending→authorized [timer confirm_deadline at",
		"event charge.authorized",
		"transition authorized→voided [] by refund " + refundID + ": result of void: ok",
		"event charge.voided",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline lacks %q; it has:\n%s", want, got)
		}
	}
	if strings.Index(got, "call charge ok") > strings.Index(got, "event charge.authorized") {
		t.Errorf("the charge call comes after the event it caused:\n%s", got)
	}
	if len(tl.Children) != 1 || tl.Children[0].ID != refundID || tl.Children[0].Type != "refund" {
		t.Errorf("children: %+v, want the refund %s", tl.Children, refundID)
	}
	raw, _ := json.Marshal(tl)
	for _, secret := range []string{"4111111111111111", `"123"`} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the timeline shows %s", secret)
		}
	}

	var rtl api.Timeline
	if code := e.do("GET", "/v1/transactions/"+refundID+"/timeline", m.apiKey, "", "", &rtl); code != http.StatusOK {
		t.Fatalf("refund timeline: %d", code)
	}
	if rtl.Parent == nil || rtl.Parent.ID != id || rtl.Parent.Status != events.StatusVoided {
		t.Errorf("refund's parent: %+v, want the voided charge %s", rtl.Parent, id)
	}
	var rcalls []string
	for _, en := range rtl.Entries {
		if en.Kind == "provider_call" {
			rcalls = append(rcalls, en.ProviderCall.Operation+" "+en.ProviderCall.Outcome)
		}
	}
	if strings.Join(rcalls, ",") != "void ok" {
		t.Errorf("refund's provider calls: %q, want the void", rcalls)
	}

	other := e.newMerchant("15m")
	if code := e.do("GET", "/v1/transactions/"+id+"/timeline", other.apiKey, "", "", nil); code != http.StatusNotFound {
		t.Errorf("another merchant's timeline: %d, want 404", code)
	}
}
