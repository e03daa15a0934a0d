package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/workers/onepipe"
	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/paycode"
	"github.com/switchyard/switchyard/workers/processone"
	"github.com/switchyard/switchyard/workers/processone/processonesim"
	"github.com/switchyard/switchyard/workers/simhost"
	"github.com/switchyard/switchyard/workers/simulator"
	"github.com/switchyard/switchyard/workers/utility"
)

// TestSimAnswersEveryProvider starts the simulators the way `switchyard sim`
// does and makes the simplest call of each provider over real HTTP, checking
// both the client's view and the simulator's own request log.
func TestSimAnswersEveryProvider(t *testing.T) {
	srv, root, err := startSims("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	if !strings.HasPrefix(root, "http://127.0.0.1:") {
		t.Fatalf("root URL %q, want a 127.0.0.1 address", root)
	}
	urls := simhost.URLs(root)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	hc := &http.Client{Timeout: 10 * time.Second}
	t.Cleanup(hc.CloseIdleConnections)

	// simSend makes one raw request and returns status and body.
	simSend := func(t *testing.T, method, url, body string, header http.Header) (int, []byte) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for k, vs := range header {
			req.Header[k] = vs
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("%s %s: read: %v", method, url, err)
		}
		return resp.StatusCode, b
	}
	// simLogged checks the simulator logged method path with a 2xx answer.
	simLogged := func(t *testing.T, provider, method, path string) {
		t.Helper()
		st, b := simSend(t, http.MethodGet, urls[provider]+"/_sim/requests", "", nil)
		var es []simulator.Entry
		if st != http.StatusOK || json.Unmarshal(b, &es) != nil {
			t.Fatalf("%s request log: HTTP %d %s", provider, st, b)
		}
		for _, e := range es {
			if e.Method == method && e.Path == path {
				if e.Status < 200 || e.Status > 299 || e.Fault != "" {
					t.Fatalf("%s %s %s logged with HTTP %d fault %q", provider, method, path, e.Status, e.Fault)
				}
				return
			}
		}
		t.Fatalf("%s: %s %s not in the request log %s", provider, method, path, b)
	}

	t.Run("root lists the prefixes", func(t *testing.T) {
		st, b := simSend(t, http.MethodGet, root+"/", "", nil)
		var out struct{ Simulators []string }
		if st != http.StatusOK || json.Unmarshal(b, &out) != nil {
			t.Fatalf("GET /: HTTP %d %s", st, b)
		}
		want := []string{"/onoconnect", "/processone", "/onepipe", "/utility", "/codes"}
		if strings.Join(out.Simulators, " ") != strings.Join(want, " ") {
			t.Fatalf("GET / lists %v, want %v", out.Simulators, want)
		}
		if len(urls) != len(want) {
			t.Fatalf("simhost.URLs has %d providers, want %d", len(urls), len(want))
		}
		for _, p := range want {
			if urls[strings.TrimPrefix(p, "/")] != root+p {
				t.Fatalf("simhost.URLs misses %s: %v", p, urls)
			}
		}
	})

	t.Run("onoconnect login", func(t *testing.T) {
		st, b := simSend(t, http.MethodPost, urls["onoconnect"]+"/v2/auth/loginDevice",
			`{"terminal":{"terminalId":"T1","deviceId":"dev-1"}}`,
			http.Header{"X-Merchantid": {"merchant-1"}, "Content-Type": {"application/json"}})
		var out struct {
			TransactionToken string         `json:"transactionToken"`
			Merchant         map[string]any `json:"merchant"`
		}
		if st != http.StatusOK || json.Unmarshal(b, &out) != nil || out.TransactionToken == "" ||
			out.Merchant["merchantId"] != "merchant-1" {
			t.Fatalf("loginDevice: HTTP %d %s", st, b)
		}
		simLogged(t, "onoconnect", http.MethodPost, "/v2/auth/loginDevice")
	})

	t.Run("processone health", func(t *testing.T) {
		c, err := processone.NewClient(processone.Config{BaseURL: urls["processone"],
			AuthenticationKey: processonesim.DevAuthenticationKey, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Caller().HTTP.CloseIdleConnections)
		resp, err := c.HealthCheck(ctx)
		if err != nil || !resp.IsAlive {
			t.Fatalf("HealthCheck = %+v, %v", resp, err)
		}
		simLogged(t, "processone", http.MethodPost, "/api/HealthStatus/Check")
	})

	t.Run("onepipe options", func(t *testing.T) {
		c, err := onepipe.NewClient(onepipe.Config{BaseURL: urls["onepipe"], APIKey: onepipesim.DefaultSimAPIKey,
			Secret: onepipesim.DefaultSimSecret, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Caller().HTTP.CloseIdleConnections)
		res, err := c.Options(ctx, "sim-test-"+uuid.NewString())
		if err != nil || res.Status != onepipe.StatusSuccessful || len(res.Options) == 0 {
			t.Fatalf("Options = %+v, %v", res, err)
		}
		simLogged(t, "onepipe", http.MethodPost, onepipe.PathOptions)
	})

	t.Run("utility purchase", func(t *testing.T) {
		c, err := utility.NewClient(utility.Config{BaseURL: urls["utility"],
			Credentials: utility.Credentials{ClientID: "switchyard", APIKey: "sim-key"}, Timeout: 10 * time.Second, HTTP: hc})
		if err != nil {
			t.Fatal(err)
		}
		amount, err := utility.NewLedgerAmount(decimal.RequireFromString("50.00"), "ZAR")
		if err != nil {
			t.Fatal(err)
		}
		req := utility.PurchaseRequest{
			ID:             uuid.NewString(),
			Meter:          utility.Meter{MeterID: "01000000000"},
			PurchaseAmount: amount,
			UtilityType:    "electricity",
			Tenders:        []utility.Tender{{TenderType: "CASH", Amount: amount}},
			Originator:     utility.Originator{Institution: utility.Institution{ID: "0001", Name: "Switchyard"}, TerminalID: "T1"},
			Client:         utility.Institution{ID: "switchyard", Name: "Switchyard"},
			TranType:       "GOODS_AND_SERVICES",
		}
		resp, err := c.Purchase(ctx, req)
		if err != nil || resp.ID != req.ID || len(resp.Tokens) == 0 {
			t.Fatalf("Purchase = %+v, %v", resp, err)
		}
		simLogged(t, "utility", http.MethodPost, "/tokenPurchases/"+req.ID)
	})

	t.Run("codes create", func(t *testing.T) {
		c, err := paycode.NewClient(paycode.Config{BaseURL: urls["codes"], Username: "merchant1", Password: "secret1",
			Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Caller().HTTP.CloseIdleConnections)
		resp, err := c.Create(ctx, paycode.CreateRequest{Amount: decimal.NewFromInt(10),
			MerchantReference: "sim-test", ShortDescription: "Basket of Goods"})
		if err != nil || resp.Code == "" {
			t.Fatalf("Create = %+v, %v", resp, err)
		}
		simLogged(t, "codes", http.MethodPost, "/code/create")
	})
}

func TestRedactURLHidesThePassword(t *testing.T) {
	got := redactURL("postgres://app:s3cret@db:5432/switchyard?sslmode=verify-full")
	if strings.Contains(got, "s3cret") || !strings.Contains(got, "app:") {
		t.Fatalf("redactURL = %s", got)
	}
}
