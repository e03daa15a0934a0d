package executor_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/provider"
)

const (
	clearPAN    = "4111111111111111"
	maskedPAN   = "411111******1111"
	clearCVV    = "cvv-7f3a-secret"
	clearAnswer = "answer-cvv-9c1e"
)

// TestProviderCallRecordRedacted: a call made through provider.Caller is
// recorded in provider_calls with its exchange, request and response
// redacted: no clear card number or CVV, the rest kept.
func TestProviderCallRecordRedacted(t *testing.T) {
	t.Parallel()
	b := setup(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"p-77","status":"approved","card":{"cardNumber":"`+clearPAN+`","cvv":"`+clearAnswer+`"},
			"message":"card `+clearPAN+` approved"}`)
	}))
	t.Cleanup(srv.Close)
	caller := provider.NewCaller(toyProvider, srv.URL, 5*time.Second)
	t.Cleanup(caller.HTTP.CloseIdleConnections)
	call := b.fn(t, "call", func(ctx context.Context, c connector.Call) (lifecycle.Result, error) {
		body := map[string]any{"amount": c.Txn.Amount.String(), "card": map[string]string{"number": clearPAN, "cvv": clearCVV},
			"note": "pay with " + clearPAN}
		resp, err := caller.Do(ctx, c.Work.Op, http.MethodPost, "/v1/charges", body, http.Header{"Authorization": {"Bearer sk_live_x"}})
		if err != nil {
			return connector.ResultOf(c.Work.Op, err), nil
		}
		var out struct{ ID string }
		if err := resp.Decode(&out); err != nil {
			return lifecycle.Result{}, err
		}
		res := connector.ResultOf(c.Work.Op, nil)
		res.ProviderReference = out.ID
		return res, nil
	})
	b.start(time.Minute, nil, connector.Operation{Name: "charge", Recovery: connector.ReverseByReference, Call: call})
	id := b.newCall(t, "charge")
	b.runOnce(t, 1)

	b.expectApplied(t, id, "ok")
	b.expectCalls(t, id, "charge", store.ProviderCall{Attempt: 1, Outcome: "ok"})
	rec := b.calls(t, id)[0]
	raw := string(rec.Exchanges)
	for _, clear := range []string{clearPAN, clearCVV, clearAnswer, "sk_live_x"} {
		if strings.Contains(raw, clear) {
			t.Errorf("provider_calls exchanges hold %q in clear: %s", clear, raw)
		}
	}
	var ex []provider.Exchange
	if err := json.Unmarshal(rec.Exchanges, &ex); err != nil || len(ex) != 1 {
		t.Fatalf("exchanges %s: %v; want one", raw, err)
	}
	e := ex[0]
	if e.Method != http.MethodPost || e.Path != "/v1/charges" || e.Status != http.StatusOK {
		t.Errorf("exchange %+v, want POST /v1/charges answered 200", e)
	}
	// The bodies are kept, redacted, not dropped.
	var req, resp map[string]any
	if err := json.Unmarshal(e.Request, &req); err != nil {
		t.Fatalf("recorded request %s: %v", e.Request, err)
	}
	if err := json.Unmarshal(e.Response, &resp); err != nil {
		t.Fatalf("recorded response %s: %v", e.Response, err)
	}
	if req["amount"] != "12.5" || req["note"] != "pay with "+maskedPAN || resp["id"] != "p-77" ||
		resp["message"] != "card "+maskedPAN+" approved" {
		t.Errorf("recorded request %s and response %s, want them kept with the card number masked", e.Request, e.Response)
	}
	if rec.Latency < 0 || rec.StartedAt.IsZero() {
		t.Errorf("record timing: started %v, latency %v", rec.StartedAt, rec.Latency)
	}
}
