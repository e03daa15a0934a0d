package utility

import (
	"context"
	"testing"

	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/simulator"
	"github.com/switchyard/switchyard/workers/utility/utilitysim"
)

// TestRetryAfterUnknownFirstAttempt: whatever happened to the first attempt,
// the retry with the same id gets tokens, and the simulator issued them once.
func TestRetryAfterUnknownFirstAttempt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		meter    string
		arm      func(*bundle)
		kind     provider.Kind
		actedYet bool // tokens issued by the first attempt
	}{
		{name: "meter swallows", meter: "03000000001", kind: provider.KindUnknown, actedYet: true},
		{name: "meter loses", meter: "03000000002", kind: provider.KindUnknown},
		{name: "meter 503", meter: "03000000003", kind: provider.KindUnknown},
		{name: "meter 504 after vend", meter: "03000000004", kind: provider.KindUnknown, actedYet: true},
		{name: "meter drops after vend", meter: "03000000005", kind: provider.KindUnknown, actedYet: true},
		{name: "knob swallowNext", meter: "01000000000", kind: provider.KindUnknown, actedYet: true,
			arm: func(b *bundle) {
				b.sim.Configure(withCfg(b.sim.Config(), func(c *utilitysim.Config) { c.SwallowNext = 1 }))
			}},
		{name: "knob loseNext", meter: "01000000000", kind: provider.KindUnknown,
			arm: func(b *bundle) {
				b.sim.Configure(withCfg(b.sim.Config(), func(c *utilitysim.Config) { c.LoseNext = 1 }))
			}},
		{name: "harness delay", meter: "01000000000", kind: provider.KindUnknown, actedYet: true,
			arm: func(b *bundle) { b.sim.Harness().Arm(simulator.Fault{Path: "/tokenPurchases/*", DelayMS: 2000}) }},
		{name: "harness lose", meter: "01000000000", kind: provider.KindUnknown,
			arm: func(b *bundle) { b.sim.Harness().Arm(simulator.Fault{Path: "/tokenPurchases/*", Lose: true}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			if tt.arm != nil {
				tt.arm(b)
			}
			req := newRequest(tt.meter, 5000)
			_, err := b.client.Purchase(context.Background(), req)
			assertKind(t, err, tt.kind, "")
			acted := b.sim.PurchaseCount(req.ID)
			if (acted == 1) != tt.actedYet {
				t.Fatalf("after first attempt PurchaseCount = %d, acted want %v", acted, tt.actedYet)
			}
			var firstToken string
			if st, _ := b.sim.Purchase(req.ID); st.Response != nil {
				firstToken = st.Response.Tokens[0].Token
			}
			for i := 0; i < 2; i++ {
				resp, err := b.client.Retry(context.Background(), req)
				assertTokens(t, resp, err, "20", 652)
				if firstToken != "" && resp.Tokens[0].Token != firstToken {
					t.Fatalf("retry token %s, want the one already issued %s", resp.Tokens[0].Token, firstToken)
				}
			}
			if n := b.sim.PurchaseCount(req.ID); n != 1 {
				t.Fatalf("PurchaseCount = %d, want 1", n)
			}
		})
	}
}

func withCfg(c utilitysim.Config, f func(*utilitysim.Config)) utilitysim.Config { f(&c); return c }

func TestRetryOfLostPurchaseDeclinedByKnob(t *testing.T) {
	t.Parallel()
	b := setupWith(t, utilitysim.Options{RetryOfUnknown: utilitysim.RetryDecline})
	req := newRequest("03000000002", 5000) // first attempt lost
	_, err := b.client.Purchase(context.Background(), req)
	assertKind(t, err, provider.KindUnknown, "")
	for i := 0; i < 2; i++ {
		_, err = b.client.Retry(context.Background(), req)
		assertKind(t, err, provider.KindDeclined, ErrNotFound)
	}
	if n := b.sim.PurchaseCount(req.ID); n != 0 {
		t.Fatalf("PurchaseCount = %d, want 0", n)
	}
}

func TestRetryOfNeverSentPurchaseIssues(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := newRequest("01000000000", 5000)
	resp, err := b.client.Retry(context.Background(), req)
	assertTokens(t, resp, err, "20", 652)
	if n := b.sim.PurchaseCount(req.ID); n != 1 {
		t.Fatalf("PurchaseCount = %d", n)
	}
}

func TestRetryRepeatsDeclineAndChecksRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := newRequest("02000000001", 5000)
	_, err := b.client.Purchase(context.Background(), req)
	assertKind(t, err, provider.KindDeclined, ErrMeterBlocked)
	_, err = b.client.Retry(context.Background(), req)
	assertKind(t, err, provider.KindDeclined, ErrMeterBlocked)

	ok := newRequest("01000000000", 5000)
	if _, err := b.client.Purchase(context.Background(), ok); err != nil {
		t.Fatal(err)
	}
	changed := ok
	changed.PurchaseAmount.Amount = 9000
	_, err = b.client.Retry(context.Background(), changed)
	assertKind(t, err, provider.KindDeclined, ErrFormat)
}

// TestConfigOverHTTP sets the retry policy and a per-meter rule through
// POST /_sim/config, as other packages' tests and demos do.
func TestConfigOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	postJSON(t, b.srv.URL+"/_sim/config", `{"retryOfUnknown":"decline","meters":{"01999999999":{"decline":"METER_BLOCKED"}}}`, 200)
	postJSON(t, b.srv.URL+"/_sim/config", `{"retryOfUnknown":"maybe"}`, 400)
	cfg := b.sim.Config()
	if cfg.RetryOfUnknown != utilitysim.RetryDecline || cfg.Meters["01999999999"].Decline != ErrMeterBlocked || cfg.Meters["01000000000"].Note == "" {
		t.Fatalf("config = %+v", cfg)
	}
	_, err := b.client.Purchase(context.Background(), newRequest("01999999999", 5000))
	assertKind(t, err, provider.KindDeclined, ErrMeterBlocked)
	_, err = b.client.Retry(context.Background(), newRequest("01000000000", 5000))
	assertKind(t, err, provider.KindDeclined, ErrNotFound)
	doReq(t, "DELETE", b.srv.URL+"/_sim/config", "", 204)
	if b.sim.Config().RetryOfUnknown != utilitysim.RetryIssue {
		t.Fatal("DELETE /_sim/config did not reset")
	}
}
