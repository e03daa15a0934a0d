package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/events"
)

// httpAnswer is a whole HTTP answer: status, headers and body as sent.
type httpAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a httpAnswer) problem(t *testing.T) map[string]any {
	t.Helper()
	var p map[string]any
	if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json; body %s", ct, a.body)
	}
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Fatalf("%d %s: %v", a.status, a.body, err)
	}
	return p
}

// rawDo sends a request as given and returns the answer untouched.
func (e *env) rawDo(method, path, token, idemKey, body string) httpAnswer {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.base+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return httpAnswer{status: resp.StatusCode, header: resp.Header, body: b}
}

const goodChargeBody = `{"provider":"onoconnect","amount":"10.00","currency":"ZAR","reference":"%s","payment_method":{"type":"card","card_number":"4111111111111111"}}`

func chargeBody(ref string) string { return strings.Replace(goodChargeBody, "%s", ref, 1) }

// TestHTTPTrailingBytes: a body with anything after its JSON object is
// refused (400, field body) and no charge is created.
func TestHTTPTrailingBytes(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	for i, tail := range []string{`x`, `{}`, `]`, ` "more"`} {
		key := "trail-" + string(rune('a'+i))
		a := e.rawDo("POST", "/v1/charges", m.apiKey, key, chargeBody("ref-"+key)+tail)
		p := a.problem(t)
		if a.status != http.StatusBadRequest || p["code"] != events.ReasonInvalidRequest || p["field"] != "body" {
			t.Errorf("tail %q: %d %s", tail, a.status, a.body)
		}
	}
	// Trailing white space is still fine.
	if a := e.rawDo("POST", "/v1/charges", m.apiKey, "trail-ws", chargeBody("ref-ws")+" \n"); a.status != http.StatusAccepted {
		t.Fatalf("trailing white space: %d %s", a.status, a.body)
	}
}

// TestHTTPProblemNamesBodyField: over HTTP the body is the command's data,
// so a problem names the body's field (amount), not data.amount; over NATS
// command.rejected keeps data.amount.
func TestHTTPProblemNamesBodyField(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	bad := strings.Replace(chargeBody("ref-field"), `"10.00"`, `"10.001"`, 1)
	a := e.rawDo("POST", "/v1/charges", m.apiKey, "field-1", bad)
	if p := a.problem(t); a.status != http.StatusBadRequest || p["field"] != "amount" {
		t.Fatalf("%d %s", a.status, a.body)
	}
	a = e.rawDo("POST", "/v1/charges", m.apiKey, "field-2", strings.Replace(chargeBody("ref-f2"), `"provider"`, `"provder"`, 1))
	if p := a.problem(t); a.status != http.StatusBadRequest || p["field"] != "provder" {
		t.Fatalf("%d %s", a.status, a.body)
	}
	a = e.rawDo("POST", "/v1/charges", m.apiKey, "field-3", strings.Replace(chargeBody("ref-f3"), "4111111111111111", "4111111111111112", 1))
	if p := a.problem(t); a.status != http.StatusBadRequest || p["field"] != "payment_method.card_number" {
		t.Fatalf("%d %s", a.status, a.body)
	}
	var data map[string]any
	_ = json.Unmarshal([]byte(bad), &data)
	m.publish(events.ChargeCreate, "field-nats", "field-nats", data)
	m.waitEvent("the NATS rejection names data.amount", func(ev events.Event) bool {
		return ev.Type == events.CommandRejected && ev.CausationID == "field-nats" && ev.Data.Reason.Field == "data.amount"
	})
}

// TestHTTPUnknownRoute: an unknown path is a 404 problem (not_found), a
// known path with another method a 405 problem (method_not_allowed) with
// Allow.
func TestHTTPUnknownRoute(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	a := e.rawDo("GET", "/v1/nothing-here", m.apiKey, "", "")
	if p := a.problem(t); a.status != http.StatusNotFound || p["code"] != "not_found" || p["status"] != float64(404) {
		t.Errorf("unknown path: %d %s", a.status, a.body)
	}
	a = e.rawDo("DELETE", "/v1/charges", m.apiKey, "", "")
	if p := a.problem(t); a.status != http.StatusMethodNotAllowed || p["code"] != "method_not_allowed" ||
		!strings.Contains(a.header.Get("Allow"), "POST") {
		t.Errorf("wrong method: %d Allow %q %s", a.status, a.header.Get("Allow"), a.body)
	}
	a = e.rawDo("GET", "/healthz", "", "", "")
	if a.status != http.StatusOK || !bytes.Contains(a.body, []byte("ok")) {
		t.Errorf("healthz: %d %s", a.status, a.body)
	}
}
