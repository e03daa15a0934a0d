package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
)

// TestTenantIsolationEveryRoute: merchant B gets 404 or an empty list for
// everything of merchant A's, on every route the API serves. The table is
// keyed by route pattern and the test walks API.Patterns(), so a new route
// without a row fails it.
func TestTenantIsolationEveryRoute(t *testing.T) {
	e := newEnvWith(t, allRoles, func(c *nodeConfig) { c.WebhookAllowPrivate = true })
	a := e.codesMerchant(paycodesim.DefaultMerchants()[0])
	b := e.newMerchant("15m")

	sink := newReceiver(t, nil)
	ep := a.webhookEndpoint(sink.srv.URL+"/hooks", "charge.*")
	charge := natsTransport{}.create(a, "iso-1", chargeData("iso-1", "10.00"))
	a.waitStatus(charge, events.StatusAuthorized)
	code := a.createCode("iso-code", nil)
	var deliveries struct{ Data []map[string]any }
	waitCond(t, 15*time.Second, "A's deliveries", func() bool {
		e.do("GET", "/v1/webhook-deliveries", a.apiKey, "", "", &deliveries)
		return len(deliveries.Data) > 0
	})
	delivery := deliveries.Data[0]["id"].(string)
	epID := ep["id"].(string)

	type req struct{ method, path, body string }
	const notFound, emptyList, skip = "404", "empty", "skip"
	rows := map[string]struct {
		req  req
		want string
	}{
		"POST /v1/charges/{id}/confirm":                 {req{"POST", "/v1/charges/" + charge + "/confirm", `{}`}, notFound},
		"POST /v1/charges/{id}/reject":                  {req{"POST", "/v1/charges/" + charge + "/reject", `{}`}, notFound},
		"POST /v1/charges/reject-by-reference":          {req{"POST", "/v1/charges/reject-by-reference", `{"reference":"iso-1"}`}, notFound},
		"POST /v1/refunds":                              {req{"POST", "/v1/refunds", `{"transaction_id":"` + charge + `"}`}, notFound},
		"POST /v1/consents/{id}/validate":               {req{"POST", "/v1/consents/" + charge + "/validate", `{"otp":"123456"}`}, notFound},
		"POST /v1/holds":                                {req{"POST", "/v1/holds", `{"consent_id":"` + charge + `","amount":"1.00","currency":"NGN"}`}, notFound},
		"POST /v1/holds/{id}/release":                   {req{"POST", "/v1/holds/" + charge + "/release", `{}`}, notFound},
		"POST /v1/holds/{id}/capture":                   {req{"POST", "/v1/holds/" + charge + "/capture", `{}`}, notFound},
		"PATCH /v1/codes/{id}":                          {req{"PATCH", "/v1/codes/" + code.ID, `{"short_description":"Taken over"}`}, notFound},
		"PUT /v1/codes/{id}/amount":                     {req{"PUT", "/v1/codes/" + code.ID + "/amount", `{"amount":"1.00"}`}, notFound},
		"POST /v1/codes/{id}/block":                     {req{"POST", "/v1/codes/" + code.ID + "/block", `{}`}, notFound},
		"POST /v1/codes/{id}/unblock":                   {req{"POST", "/v1/codes/" + code.ID + "/unblock", `{}`}, notFound},
		"DELETE /v1/codes/{id}":                         {req{"DELETE", "/v1/codes/" + code.ID, ``}, notFound},
		"GET /v1/codes/{id}/qr":                         {req{"GET", "/v1/codes/" + code.ID + "/qr", ``}, notFound},
		"GET /v1/transactions":                          {req{"GET", "/v1/transactions?reference=iso-1", ``}, emptyList},
		"GET /v1/transactions/{id}":                     {req{"GET", "/v1/transactions/" + charge, ``}, notFound},
		"GET /v1/transactions/{id}/events":              {req{"GET", "/v1/transactions/" + charge + "/events", ``}, notFound},
		"GET /v1/transactions/{id}/timeline":            {req{"GET", "/v1/transactions/" + charge + "/timeline", ``}, notFound},
		"PATCH /v1/transactions/{id}/metadata":          {req{"PATCH", "/v1/transactions/" + charge + "/metadata", `{"k":"v"}`}, notFound},
		"GET /v1/webhook-endpoints":                     {req{"GET", "/v1/webhook-endpoints", ``}, emptyList},
		"GET /v1/webhook-endpoints/{id}":                {req{"GET", "/v1/webhook-endpoints/" + epID, ``}, notFound},
		"DELETE /v1/webhook-endpoints/{id}":             {req{"DELETE", "/v1/webhook-endpoints/" + epID, ``}, notFound},
		"POST /v1/webhook-endpoints/{id}/rotate-secret": {req{"POST", "/v1/webhook-endpoints/" + epID + "/rotate-secret", `{}`}, notFound},
		"POST /v1/webhook-endpoints/{id}/disable":       {req{"POST", "/v1/webhook-endpoints/" + epID + "/disable", `{}`}, notFound},
		"POST /v1/webhook-endpoints/{id}/enable":        {req{"POST", "/v1/webhook-endpoints/" + epID + "/enable", `{}`}, notFound},
		"POST /v1/webhook-endpoints/{id}/replay":        {req{"POST", "/v1/webhook-endpoints/" + epID + "/replay", `{"since":"2020-01-01T00:00:00Z"}`}, notFound},
		"GET /v1/webhook-deliveries":                    {req{"GET", "/v1/webhook-deliveries?endpoint_id=" + epID, ``}, emptyList},
		"POST /v1/webhook-deliveries/{id}/retry":        {req{"POST", "/v1/webhook-deliveries/" + delivery + "/retry", `{}`}, notFound},
		// Routes that name nothing of another merchant's: creating its
		// own, the admin's, the providers', the operators'.
		"POST /v1/charges": {want: skip}, "POST /v1/purchases": {want: skip}, "POST /v1/consents": {want: skip},
		"POST /v1/codes": {want: skip}, "POST /v1/webhook-endpoints": {want: skip},
		"POST /v1/admin/merchants": {want: skip}, "POST /v1/admin/merchants/{id}/api-keys": {want: skip},
		"DELETE /v1/admin/merchants/{id}/api-keys/{prefix}": {want: skip}, "PATCH /v1/admin/merchants/{id}/settlement": {want: skip},
		"POST /v1/provider-callbacks/{provider}": {want: skip},
		"GET /healthz":                           {want: skip}, "GET /readyz": {want: skip}, "GET /metrics": {want: skip}, "GET /openapi.yaml": {want: skip},
	}
	for _, p := range e.node.api.Patterns() {
		row, ok := rows[p]
		if !ok {
			t.Errorf("route %s has no row: say what merchant B gets of merchant A's there", p)
			continue
		}
		if row.want == skip {
			continue
		}
		t.Run(p, func(t *testing.T) {
			var out map[string]any
			status := e.do(row.req.method, row.req.path, b.apiKey, "iso-b-"+strings.ReplaceAll(p, " ", "-"), row.req.body, &out)
			switch row.want {
			case notFound:
				if status != http.StatusNotFound {
					t.Errorf("%s %s as B: %d %v, want 404", row.req.method, row.req.path, status, out)
				}
			case emptyList:
				raw, _ := json.Marshal(out["data"])
				if status != http.StatusOK || string(raw) != "[]" {
					t.Errorf("%s %s as B: %d %s, want 200 and an empty list", row.req.method, row.req.path, status, raw)
				}
			}
		})
	}
	// And A still has all of it: the requests above changed nothing.
	if got := a.waitStatus(charge, events.StatusAuthorized); got.Metadata["k"] != "" {
		t.Errorf("B's metadata patch reached A's charge: %v", got.Metadata)
	}
	if c := a.waitStatus(code.ID, events.StatusActive); c.Code != code.Code {
		t.Errorf("A's code changed: %+v", c)
	}
	var eps struct{ Data []map[string]any }
	e.do("GET", "/v1/webhook-endpoints", a.apiKey, "", "", &eps)
	if len(eps.Data) != 1 || eps.Data[0]["status"] != "enabled" {
		t.Errorf("A's endpoints after B's requests: %v", eps.Data)
	}
}
