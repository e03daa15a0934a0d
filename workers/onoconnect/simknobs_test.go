package onoconnect

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/workers/onoconnect/onoconnectsim"
	"github.com/switchyard/switchyard/workers/provider"
)

// do sends one raw request to the simulator and returns status and body.
func (b *bundle) do(method, path, body string, header map[string]string) (int, string) {
	b.t.Helper()
	req, err := http.NewRequestWithContext(b.ctx(), method, b.srv.URL+path, strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func TestConfigKnob(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{})
	status, _ := b.do("POST", "/_sim/config", `{"declines":{"4200":"61"},"confirm_conflicts":1,"default_declines":false}`, nil)
	if status != http.StatusOK {
		t.Fatalf("POST /_sim/config: %d", status)
	}
	_, got := b.do("GET", "/_sim/config", "", nil)
	var cfg onoconnectsim.Config
	if err := json.Unmarshal([]byte(got), &cfg); err != nil || cfg.Declines[4200] != "61" || *cfg.ConfirmConflicts != 1 || *cfg.DefaultDeclines {
		t.Fatalf("GET /_sim/config = %s (%v)", got, err)
	}
	_, err := b.client.Charge(t.Context(), b.cred, chargeReq("k1", 4200))
	wantKind(t, err, provider.KindDeclined, "61")
	if _, err := b.client.Charge(t.Context(), b.cred, chargeReq("k2", 1051)); err != nil {
		t.Fatalf("default rule off, 1051: %v", err)
	}
	id := b.mustCharge(t, "k3")
	wantKind(t, b.client.Confirm(t.Context(), b.cred, id, nil), provider.KindRetryLater, "")
	if err := b.client.Confirm(t.Context(), b.cred, id, nil); err != nil {
		t.Fatalf("second confirm: %v", err)
	}
	if status, _ := b.do("DELETE", "/_sim/config", "", nil); status != http.StatusOK {
		t.Fatalf("DELETE /_sim/config: %d", status)
	}
	_, err = b.client.Charge(t.Context(), b.cred, chargeReq("k4", 1051))
	wantKind(t, err, provider.KindDeclined, "51")
	if status, _ := b.do("POST", "/_sim/config", `{"declines":`, nil); status != http.StatusBadRequest {
		t.Fatalf("bad config: %d", status)
	}
}

func TestInspectKnob(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{})
	b.mustCharge(t, "i1")
	_, got := b.do("GET", "/_sim/charges/i1", "", nil)
	if !strings.Contains(got, `"received":1`) || !strings.Contains(got, `"status":"approved"`) {
		t.Fatalf("GET /_sim/charges/i1 = %s", got)
	}
	if status, _ := b.do("DELETE", "/_sim/charges", "", nil); status != http.StatusNoContent {
		t.Fatalf("DELETE /_sim/charges: %d", status)
	}
	if b.sim.Status("i1") != "" || b.sim.ChargeCount("i1") != 0 {
		t.Fatal("charges not forgotten")
	}
}

func TestRequestLogMasksCard(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{})
	b.mustCharge(t, "m1")
	entries := b.sim.Harness().Log().Entries()
	if len(entries) != 1 || entries[0].Path != "/v2/charges" {
		t.Fatalf("request log = %+v", entries)
	}
	if body := entries[0].Body; strings.Contains(body, testPAN) || strings.Contains(body, `"cvv":"123"`) || !strings.Contains(body, `"cvv"`) {
		t.Fatalf("logged body not masked: %s", body)
	}
	if _, got := b.do("GET", "/_sim/requests", "", nil); strings.Contains(got, testPAN) {
		t.Fatalf("request log = %s", got)
	}
}

func TestLoginDevice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		opts       onoconnectsim.Options
		header     map[string]string
		body       string
		wantStatus int
		wantToken  string
	}{
		{name: "ok", header: map[string]string{headerMerchant: testMerchant}, body: `{"terminal":{"id":"T1"},"organization":{}}`, wantStatus: 200, wantToken: "sim_00000000-0000-4000-8000-000000000001"},
		{name: "configured token", opts: onoconnectsim.Options{TransactionToken: "fixed"}, header: map[string]string{headerMerchant: testMerchant}, body: `{"terminal":{}}`, wantStatus: 200, wantToken: "fixed"},
		{name: "no terminal", header: map[string]string{headerMerchant: testMerchant}, body: `{}`, wantStatus: 400},
		{name: "bad JSON", header: map[string]string{headerMerchant: testMerchant}, body: `{`, wantStatus: 400},
		{name: "no merchant", body: `{"terminal":{}}`, wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, tt.opts)
			status, body := b.do("POST", "/v2/auth/loginDevice", tt.body, tt.header)
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tt.wantStatus, body)
			}
			var resp struct {
				TransactionToken string `json:"transactionToken"`
			}
			_ = json.Unmarshal([]byte(body), &resp)
			if resp.TransactionToken != tt.wantToken {
				t.Fatalf("token %q, want %q", resp.TransactionToken, tt.wantToken)
			}
		})
	}
}

func TestFinalizeBody(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{})
	id := b.mustCharge(t, "f1")
	h := map[string]string{headerMerchant: testMerchant, headerToken: "t"}
	if status, body := b.do("POST", "/v2/charges/"+id+"/confirm", `{"transactionId":"other"}`, h); status != 400 {
		t.Fatalf("mismatched id: %d %s", status, body)
	}
	if status, body := b.do("POST", "/v2/charges/"+id+"/confirm", `[`, h); status != 400 {
		t.Fatalf("bad JSON: %d %s", status, body)
	}
	if status, body := b.do("POST", "/v2/charges/"+id+"/confirm", ``, h); status != 200 || strings.TrimSpace(body) != "{}" {
		t.Fatalf("empty body: %d %s", status, body)
	}
	if status, _ := b.do("POST", "/v2/nothing", `{}`, h); status != 404 {
		t.Fatalf("unknown path: %d", status)
	}
}

func TestMaxCharges(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{MaxCharges: 2})
	first := b.mustCharge(t, "e1")
	b.mustCharge(t, "e2")
	b.mustCharge(t, "e3")
	if b.sim.Status("e1") != "" || b.sim.Status("e3") != onoconnectsim.StatusApproved {
		t.Fatalf("statuses %q %q", b.sim.Status("e1"), b.sim.Status("e3"))
	}
	wantKind(t, b.client.Confirm(t.Context(), b.cred, first, nil), provider.KindFailed, "not_found")
	b.mustCharge(t, "e4")
	if b.sim.Status("e2") != "" || b.sim.Status("e4") != onoconnectsim.StatusApproved {
		t.Fatal("ring did not advance")
	}
}
