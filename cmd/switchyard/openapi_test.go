package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
)

// openAPIDoc loads the served document and checks that it is valid
// OpenAPI; the router it returns routes requests to e's base URL.
func openAPIDoc(t *testing.T, base string) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid OpenAPI: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: base}}
	for _, ct := range []string{"image/svg+xml", "image/png"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// checker sends requests and checks each request and its answer against
// the document; checkRequest false sends a request that breaks the
// document on purpose (a missing header, a bad body) and checks only the
// answer.
type checker struct {
	t      *testing.T
	base   string
	router routers.Router
	mu     sync.Mutex
	ops    map[string]bool // operations exercised
}

func (c *checker) do(method, path, token, idem, body string, checkRequest bool, out any) int {
	c.t.Helper()
	newReq := func() *http.Request {
		var rd io.Reader = http.NoBody
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, c.base+path, rd)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if idem != "" {
			req.Header.Set("Idempotency-Key", idem)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if method != "GET" && method != "DELETE" && strings.HasPrefix(path, "/v1/") && !strings.HasPrefix(path, "/v1/admin") && !strings.HasPrefix(path, "/v1/webhook") {
			req.Header.Set("Prefer", "wait=10")
		}
		return req
	}
	route, params, err := c.router.FindRoute(newReq())
	if err != nil {
		c.t.Errorf("%s %s is not in openapi.yaml: %v", method, path, err)
		return 0
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: newReq(), PathParams: params, Route: route, Options: opts}
	if checkRequest {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			c.t.Errorf("%s %s: the request breaks openapi.yaml: %v", method, path, err)
		}
	}
	resp, err := http.DefaultClient.Do(newReq())
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	rin := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Options: opts}
	rin.SetBodyBytes(b)
	if err := openapi3filter.ValidateResponse(context.Background(), rin); err != nil {
		c.t.Errorf("%s %s: the answer (%d %s) breaks openapi.yaml: %v", method, path, resp.StatusCode, bytes.TrimSpace(b[:min(len(b), 300)]), err)
	}
	c.mu.Lock()
	c.ops[route.Operation.OperationID] = true
	c.mu.Unlock()
	if out != nil && len(b) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Errorf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// TestOpenAPIDocumentsEveryRoute: every route the API serves is in the
// document with its method, and the document has no operation the API
// does not serve.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	e := newEnv(t)
	doc, _ := openAPIDoc(t, e.base)
	served := map[string]bool{}
	for _, p := range e.node.api.Patterns() {
		method, path, ok := strings.Cut(p, " ")
		if !ok {
			t.Errorf("route %q has no method", p)
			continue
		}
		served[method+" "+path] = true
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("the API serves %s %s; openapi.yaml does not document it", method, path)
		}
	}
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !served[method+" "+path] {
				documented = append(documented, method+" "+path)
			}
		}
	}
	sort.Strings(documented)
	for _, d := range documented {
		t.Errorf("openapi.yaml documents %s, which the API does not serve", d)
	}
}

// TestOpenAPIRequestsAndAnswers sends real requests (good ones and broken
// ones) and checks them and their answers against the document.
func TestOpenAPIRequestsAndAnswers(t *testing.T) {
	e := newEnvWith(t, allRoles, func(c *nodeConfig) { c.WebhookAllowPrivate = true })
	doc, router := openAPIDoc(t, e.base)
	c := &checker{t: t, base: e.base, router: router, ops: map[string]bool{}}
	m := e.codesMerchant(paycodesim.DefaultMerchants()[0])
	key := m.apiKey
	sink := newReceiver(t, func(n int) int {
		if n == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	var ep map[string]any
	c.do("POST", "/v1/webhook-endpoints", key, "oa-ep", `{"url":"`+sink.srv.URL+`/hooks","event_types":["charge.*"],"description":"docs"}`, true, &ep)
	epID, _ := ep["id"].(string)

	c.do("GET", "/healthz", "", "", "", true, nil)
	c.do("GET", "/readyz", "", "", "", true, nil)
	c.do("GET", "/openapi.yaml", "", "", "", true, nil)
	c.do("GET", "/metrics", "", "", "", true, nil)

	var tx map[string]any
	charge := `{"provider":"onoconnect","amount":"10.00","currency":"ZAR","reference":"oa-1","payment_method":{"type":"card","card_number":"4111111111111111"},"metadata":{"till":"7"}}`
	if code := c.do("POST", "/v1/charges", key, "oa-1", charge, true, &tx); code != http.StatusAccepted {
		t.Fatalf("charge: %d %v", code, tx)
	}
	id := tx["id"].(string)
	c.do("POST", "/v1/charges", key, "oa-1", charge, true, nil)                                       // a repeat: the first answer
	c.do("POST", "/v1/charges", key, "oa-1", strings.Replace(charge, "10.00", "11.00", 1), true, nil) // 422 idempotency_conflict
	c.do("POST", "/v1/charges", key, "", charge, false, nil)                                          // 400: no Idempotency-Key
	c.do("POST", "/v1/charges", key, "oa-bad", `{"provider":"onoconnect","amount":"ten"}`, false, nil)
	c.do("POST", "/v1/charges", "sk_wrong", "oa-x", charge, true, nil) // 401
	c.do("GET", "/v1/transactions/"+id, key, "", "", true, nil)
	c.do("GET", "/v1/transactions/"+id+"/events", key, "", "", true, nil)
	c.do("GET", "/v1/transactions/"+id+"/timeline", key, "", "", true, nil)
	c.do("GET", "/v1/transactions/00000000-0000-0000-0000-000000000000", key, "", "", true, nil) // 404
	c.do("POST", "/v1/charges/"+id+"/confirm", key, "oa-1-confirm", `{}`, true, nil)
	c.do("POST", "/v1/charges/"+id+"/reject", key, "oa-1-reject", `{}`, true, nil) // 409 invalid_state
	var tx2 map[string]any
	c.do("POST", "/v1/charges", key, "oa-2", strings.Replace(charge, "oa-1", "oa-2", 1), true, &tx2)
	c.do("POST", "/v1/refunds", key, "oa-2-refund", `{"transaction_id":"`+tx2["id"].(string)+`"}`, true, nil)
	c.do("POST", "/v1/charges/reject-by-reference", key, "oa-3-reject", `{"reference":"never-made"}`, true, nil)
	c.do("POST", "/v1/admin/merchants/"+m.id+"/api-keys", "wrong-admin-token", "", "", true, nil) // 401
	c.do("PATCH", "/v1/admin/merchants/"+m.id+"/settlement", "admin-token", "", `{"batch_cutoff":"18:00","time_zone":"Africa/Johannesburg"}`, true, nil)
	c.do("GET", "/v1/transactions?type=charge&status=authorized&limit=5", key, "", "", true, nil)
	c.do("GET", "/v1/transactions?limit=500", key, "", "", false, nil) // 400: limit
	c.do("PATCH", "/v1/transactions/"+id+"/metadata", key, "oa-meta", `{"till":null,"lane":"3"}`, true, nil)

	var code map[string]any
	c.do("POST", "/v1/codes", key, "oa-code", `{"amount":"25.00","currency":"ZAR","reference":"oa-code","short_description":"Coffee and cake"}`, true, &code)
	codeID := code["id"].(string)
	m.waitStatus(codeID, "active")
	c.do("POST", "/v1/codes", key, "oa-code-bad", `{"amount":"25.00","currency":"ZAR","reference":"oa-code-2","short_description":"abc"}`, false, nil)
	c.do("GET", "/v1/codes/"+codeID+"/qr?format=svg", key, "", "", true, nil)
	c.do("GET", "/v1/codes/"+codeID+"/qr", key, "", "", true, nil)
	c.do("PATCH", "/v1/codes/"+codeID, key, "oa-code-upd", `{"short_description":"Coffee and two cakes"}`, true, nil)
	c.do("PUT", "/v1/codes/"+codeID+"/amount", key, "oa-code-amt", `{"amount":"30.00"}`, true, nil)
	c.do("POST", "/v1/codes/"+codeID+"/block", key, "oa-code-blk", `{}`, true, nil)
	m.waitStatus(codeID, "blocked")
	c.do("POST", "/v1/codes/"+codeID+"/unblock", key, "oa-code-unb", `{}`, true, nil)
	m.waitStatus(codeID, "active")
	c.do("DELETE", "/v1/codes/"+codeID, key, "oa-code-del", ``, true, nil)
	c.do("POST", "/v1/provider-callbacks/codes?merchant="+m.id, "", "", `{"type":"code.paid"}`, true, nil) // 401: unsigned

	c.do("GET", "/v1/webhook-endpoints", key, "", "", true, nil)
	c.do("GET", "/v1/webhook-endpoints/"+epID, key, "", "", true, nil)
	c.do("POST", "/v1/webhook-endpoints", key, "oa-ep-private", `{"url":"http://10.0.0.1/hooks"}`, true, nil) // allowed here: private allowed
	c.do("POST", "/v1/webhook-endpoints", key, "oa-ep-bad", `{"url":"ftp://x"}`, true, nil)                   // 400
	waitCond(t, 20*time.Second, "a failed then delivered attempt", func() bool { return len(sink.all()) >= 3 })
	var ds map[string]any
	c.do("GET", "/v1/webhook-deliveries?endpoint_id="+epID, key, "", "", true, &ds)
	if data, _ := ds["data"].([]any); len(data) > 0 {
		c.do("POST", "/v1/webhook-deliveries/"+data[0].(map[string]any)["id"].(string)+"/retry", key, "oa-retry", ``, true, nil)
	}
	c.do("POST", "/v1/webhook-endpoints/"+epID+"/replay", key, "oa-replay", `{"since":"2020-01-01T00:00:00Z"}`, true, nil)
	c.do("POST", "/v1/webhook-endpoints/"+epID+"/rotate-secret", key, "oa-rotate", `{"overlap":"1h"}`, true, nil)
	c.do("POST", "/v1/webhook-endpoints/"+epID+"/disable", key, "oa-disable", ``, true, nil)
	c.do("POST", "/v1/webhook-endpoints/"+epID+"/enable", key, "oa-enable", ``, true, nil)
	c.do("DELETE", "/v1/webhook-endpoints/"+epID, key, "", "", true, nil)

	var missed []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !c.ops[op.OperationID] && !strings.HasPrefix(path, "/v1/admin/merchants") && op.OperationID != "createPurchase" &&
				op.OperationID != "createConsent" && op.OperationID != "validateConsent" && !strings.HasPrefix(path, "/v1/holds") {
				missed = append(missed, method+" "+path)
			}
		}
	}
	sort.Strings(missed)
	if len(missed) > 0 {
		t.Errorf("operations no request here exercised (add one): %s", strings.Join(missed, ", "))
	}
	if testing.Verbose() {
		var ops []string
		for op := range c.ops {
			ops = append(ops, op)
		}
		sort.Strings(ops)
		t.Logf("operations exercised: %s", strings.Join(ops, ", "))
	}
}
