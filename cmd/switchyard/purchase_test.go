package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/simhost"
)

// newUtilityMerchant is a merchant with a utility account whose purchases
// retry every second for 4 s (the shortest the settings allow).
func (e *env) newUtilityMerchant(settings string) *tenant {
	e.t.Helper()
	if settings == "" {
		settings = `{}`
	}
	var s map[string]any
	_ = json.Unmarshal([]byte(settings), &s)
	for k, v := range map[string]any{"retry_schedule": []string{"1s"}, "retry_every": "1s", "retry_horizon": "4s"} {
		if _, ok := s[k]; !ok {
			s[k] = v
		}
	}
	b, _ := json.Marshal(s)
	return e.newMerchantBody(fmt.Sprintf(`{"name":"Shop","confirm_deadline":"15m","providers":{`+
		`"onoconnect":{"merchant_id":%q,"transaction_token":"tok"},"utility":{"client_id":"c-%s","api_key":"k"}},`+
		`"provider_settings":{"utility":%s}}`, uuid.NewString(), uuid.NewString()[:8], b))
}

func purchaseData(ref, meter, amount string) map[string]any {
	return map[string]any{"provider": "utility", "meter": map[string]any{"meter_id": meter}, "amount": amount, "currency": "ZAR",
		"utility_type": "electricity", "reference": ref, "tenders": []map[string]any{{"tender_type": "CASH", "amount": amount}}}
}

// utilitySim changes the utility simulator's knobs (POST /_sim/config) or
// arms a fault (POST /_sim/faults).
func (e *env) utilitySim(what, body string) {
	e.t.Helper()
	resp, err := http.Post(e.simURL+simhost.Utility+"/_sim/"+what, "application/json", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		e.t.Fatalf("utility sim %s: %s", what, resp.Status)
	}
}

// simPurchase is the simulator's record of a purchase id: the token sets it
// issued and the tokens of its answer.
type simPurchase struct {
	Attempts int `json:"attempts"` // purchase requests (not retries)
	Issued   int `json:"issued"`
	Response *struct {
		Tokens []struct {
			Token string `json:"token"`
		} `json:"tokens"`
	} `json:"response"`
}

func (e *env) simPurchase(purchaseID string) simPurchase {
	e.t.Helper()
	var st simPurchase
	resp, err := http.Get(e.simURL + simhost.Utility + "/_sim/purchases/" + purchaseID)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	_ = json.NewDecoder(resp.Body).Decode(&st)
	return st
}

func tokenNumbersOf(tx events.Transaction) []string {
	var out []string
	for _, tk := range tx.Tokens {
		out = append(out, tk.Token)
	}
	return out
}

// TestPurchaseRetries: purchases through the whole lifecycle against the
// simulator's faults: a swallowed first attempt and an answer lost after the
// tokens were issued complete through the retry with the tokens the provider
// issued first (one set); 503 three times completes; 504 until the horizon
// fails retries_exhausted.
func TestPurchaseRetries(t *testing.T) {
	e := newEnv(t)
	m := e.newUtilityMerchant("")
	for _, c := range []struct{ name, meter string }{
		{"swallowed first attempt", "03000000001"},
		{"answer lost after the tokens (dropped)", "03000000005"},
		{"504 after the tokens", "03000000004"},
		{"first attempt never acted on", "03000000002"},
	} {
		id := m.buy("p-"+c.meter, purchaseData("p-"+c.meter, c.meter, "50.00"))
		tx := m.waitStatus(id, events.StatusCompleted)
		if len(tx.Tokens) == 0 || tx.Tokens[0].Token == "" {
			t.Fatalf("%s: completed without tokens: %+v", c.name, tx)
		}
		if !sliceHas(m.eventTypes(id), events.EventType(events.TypePurchase, events.StatusRetrying)) {
			t.Errorf("%s: completed without a retry: %v", c.name, m.eventTypes(id))
		}
		sim := e.simPurchase(tx.ProviderReference)
		if sim.Issued != 1 || sim.Response == nil || len(sim.Response.Tokens) != len(tx.Tokens) || sim.Response.Tokens[0].Token != tx.Tokens[0].Token {
			t.Errorf("%s: the purchase shows tokens %v; the provider issued %d set(s): %+v", c.name, tokenNumbersOf(tx), sim.Issued, sim.Response)
		}
		if sim.Attempts != 1 {
			t.Errorf("%s: %d purchase requests for one id, want 1 (then retries)", c.name, sim.Attempts)
		}
	}

	e.utilitySim("faults", `{"path":"/tokenPurchases","method":"POST","status":503,"count":3}`)
	id := m.buy("p-503", purchaseData("p-503", "01000000000", "20.00"))
	m.waitStatus(id, events.StatusCompleted)

	e.utilitySim("faults", `{"path":"/tokenPurchases","method":"POST","status":504,"count":1000}`)
	id = m.buy("p-504", purchaseData("p-504", "01000000000", "30.00"))
	tx := m.waitStatusWithin(id, events.StatusFailed, 20*time.Second)
	if tx.Reason == nil || tx.Reason.Code != events.ReasonRetriesExhausted {
		t.Fatalf("504 until the horizon: %+v", tx.Reason)
	}
}

// TestPurchaseNotFoundOnRetry: the first attempt never reaches the
// provider and its retry answers 404: declined with the reason, or, where
// the merchant's settings allow it, sent again as a purchase with the same
// id and completed.
func TestPurchaseNotFoundOnRetry(t *testing.T) {
	e := newEnv(t)
	e.utilitySim("config", `{"retryOfUnknown":"decline"}`)
	for _, resend := range []bool{false, true} {
		m := e.newUtilityMerchant(fmt.Sprintf(`{"resend_on_not_found":%v}`, resend))
		ref := fmt.Sprintf("nf-%v", resend)
		id := m.buy(ref, purchaseData(ref, "03000000002", "40.00"))
		if !resend {
			tx := m.waitStatus(id, events.StatusDeclined)
			if tx.Reason == nil || !strings.Contains(strings.ToLower(tx.Reason.Message), "never received") {
				t.Fatalf("404 without resend: %+v", tx.Reason)
			}
			continue
		}
		tx := m.waitStatus(id, events.StatusCompleted)
		if len(tx.Tokens) == 0 {
			t.Fatalf("resent purchase without tokens: %+v", tx)
		}
	}
}

// TestPurchaseReplayAndDualMessage: the create's replay answers the same
// tokens; with dual messages a confirmation advice follows the tokens.
func TestPurchaseReplayAndDualMessage(t *testing.T) {
	e := newEnv(t)
	m := e.newUtilityMerchant(`{"dual_message":true}`)
	code, first := m.post("/v1/purchases", "buy-1", purchaseData("buy-1", "01000000000", "60.00"))
	if code != http.StatusAccepted || first["status"] != events.StatusCompleted {
		t.Fatalf("purchase: %d %v", code, first)
	}
	id := first["id"].(string)
	_, again := m.post("/v1/purchases", "buy-1", purchaseData("buy-1", "01000000000", "60.00"))
	if fmt.Sprint(again["tokens"]) != fmt.Sprint(first["tokens"]) {
		t.Fatalf("replay tokens %v, first %v", again["tokens"], first["tokens"])
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var tx events.Transaction
		e.do("GET", "/v1/transactions/"+id, m.apiKey, "", "", &tx)
		if tx.Advice != nil && tx.Advice.Op == "confirm" && tx.Advice.Status == "delivered" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("confirmation advice not delivered: %+v", tx.Advice)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// buy publishes purchase.create over NATS (command id cmdID) and returns
// the purchase's transaction id.
func (m *tenant) buy(cmdID string, data map[string]any) string {
	m.publish(events.PurchaseCreate, cmdID, cmdID, data)
	return engineTxnID(m.id, cmdID)
}

func sliceHas(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
