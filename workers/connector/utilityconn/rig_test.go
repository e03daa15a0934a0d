package utilityconn

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/purchase"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/utility/utilitysim"
)

// callTimeout is the connector's per-call time-out in these tests: long
// enough for an answer under -race on a busy machine, short enough for the
// swallowed and lost attempts, which only end when it passes.
const callTimeout = time.Second

// rig is a utility connector against a simulator, for one merchant.
type rig struct {
	sim      *utilitysim.Simulator
	url      string
	deps     connector.Deps
	merchant uuid.UUID
	conn     *connector.Connector
}

func newRig(t *testing.T, opts utilitysim.Options) *rig {
	t.Helper()
	opts.ClientID, opts.APIKey = "good-client", "good-key"
	opts.Hold = 5 * time.Second
	sim := utilitysim.New(opts)
	sim.Harness().Lost = 5 * time.Second
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	deps := connectortest.Deps(t)
	r := &rig{sim: sim, url: srv.URL, deps: deps, conn: New(deps, srv.URL, callTimeout)}
	r.merchant = connectortest.Merchant(t, deps, map[string]string{
		events.ProviderUtility: `{"client_id":"good-client","api_key":"good-key"}`})
	return r
}

// purchaseTxn is a purchase of amount ZAR for meter, made by the purchase
// lifecycle's own Parse and Create.
func (r *rig) purchaseTxn(t *testing.T, meter, amount string) *store.Txn {
	t.Helper()
	return r.create(t, `{"meter_id":"`+meter+`"}`, amount)
}

// track2Txn is purchaseTxn for a meter given by its track2 data (sealed by
// the lifecycle).
func (r *rig) track2Txn(t *testing.T, track2, amount string) *store.Txn {
	t.Helper()
	return r.create(t, `{"track2":"`+track2+`"}`, amount)
}

func (r *rig) create(t *testing.T, meter, amount string) *store.Txn {
	t.Helper()
	l := purchase.New()
	data := `{"provider":"utility","meter":` + meter + `,"amount":"` + amount + `","currency":"ZAR","utility_type":"electricity",` +
		`"msisdn":"+27821234567","reference":"order-` + uuid.NewString()[:8] + `","tenders":[{"tender_type":"CASH","amount":"` + amount + `"}]}`
	p, err := l.Parse(events.PurchaseCreate, json.RawMessage(data))
	if err != nil {
		t.Fatal(err)
	}
	txn := &store.Txn{ID: uuid.New(), MerchantID: r.merchant, Type: events.TypePurchase, Metadata: map[string]string{},
		Details: map[string]json.RawMessage{}, Version: 1, CreatedAt: time.Now()}
	seal := func(t *store.Txn, key, purpose string, plain []byte) {
		lifecycle.SealDetail(r.deps.Sealer, t, key, purpose, plain)
	}
	if _, err := l.Create(&lifecycle.Creation{Txn: txn, Parsed: p, Merchant: &store.Merchant{ID: r.merchant}, Now: time.Now(), Seal: seal}); err != nil {
		t.Fatal(err)
	}
	return txn
}

func purchaseOf(t *testing.T, txn *store.Txn) PurchaseDetail {
	t.Helper()
	d, err := PurchaseOf(txn)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// op returns the connector's operation name.
func (r *rig) op(t *testing.T, name string) connector.Operation {
	t.Helper()
	for _, op := range r.conn.Operations {
		if op.Name == name {
			return op
		}
	}
	t.Fatalf("the connector has no operation %q", name)
	return connector.Operation{}
}

// call runs op's Call (or its Recover) on txn, recording its exchanges the
// way the executor does, and returns its result and what was recorded.
func (r *rig) call(t *testing.T, name string, txn *store.Txn, recover bool) (lifecycle.Result, json.RawMessage) {
	t.Helper()
	op := r.op(t, name)
	fn := op.Call
	if recover {
		if op.Recover == nil {
			t.Fatalf("%s: no Recover (%v)", name, op.Recovery)
		}
		fn = op.Recover
	}
	if err := r.conn.Prepare(t.Context(), txn.MerchantID); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	ctx, rec := provider.Record(t.Context())
	res, err := fn(ctx, connector.Call{Txn: txn})
	if err != nil {
		t.Fatalf("%s: local error %v", name, err)
	}
	if res.Op != name {
		t.Fatalf("%s: result for op %q", name, res.Op)
	}
	return res, rec.Exchanges()
}

// want checks a result's outcome and code; an OK purchase has tokens.
func want(t *testing.T, what string, got lifecycle.Result, outcome lifecycle.Outcome, code string) {
	t.Helper()
	if got.Outcome != outcome || got.Code != code {
		t.Fatalf("%s: %s %q (%s), want %s %q", what, got.Outcome, got.Code, got.Message, outcome, code)
	}
}

// tokensIn decodes a result's Data.
func tokensIn(t *testing.T, res lifecycle.Result) []events.UtilityToken {
	t.Helper()
	var toks []events.UtilityToken
	if err := json.Unmarshal(res.Data, &toks); err != nil || len(toks) == 0 {
		t.Fatalf("result data %s: %v, want tokens", res.Data, err)
	}
	return toks
}

// tokenNumbers are the token numbers of toks.
func tokenNumbers(toks []events.UtilityToken) []string {
	var out []string
	for _, tk := range toks {
		out = append(out, tk.Token)
	}
	return out
}

// simTokens are the token numbers the simulator issued for txn's purchase.
func (r *rig) simTokens(t *testing.T, txn *store.Txn) []string {
	t.Helper()
	st, ok := r.sim.Purchase(purchaseOf(t, txn).PurchaseID.String())
	if !ok || st.Response == nil {
		t.Fatalf("the simulator issued nothing for this purchase: %+v", st)
	}
	var out []string
	for _, tk := range st.Response.Tokens {
		out = append(out, tk.Token)
	}
	return out
}

// sameTokens checks res carries exactly the tokens the simulator issued.
func (r *rig) sameTokens(t *testing.T, what string, txn *store.Txn, res lifecycle.Result) {
	t.Helper()
	if got, issued := tokenNumbers(tokensIn(t, res)), r.simTokens(t, txn); !slices.Equal(got, issued) {
		t.Fatalf("%s: tokens %v, the simulator issued %v", what, got, issued)
	}
}

// issued is how many token sets the simulator issued for txn's purchase.
func (r *rig) issued(t *testing.T, txn *store.Txn) int {
	t.Helper()
	return r.sim.PurchaseCount(purchaseOf(t, txn).PurchaseID.String())
}

// count is how many requests reached the path of txn's purchase plus
// suffix ("", "/retry", "/confirmations/<id>").
func (r *rig) count(t *testing.T, txn *store.Txn, suffix string) int {
	t.Helper()
	return r.sim.Harness().Log().Count("POST", "/tokenPurchases/"+purchaseOf(t, txn).PurchaseID.String()+suffix)
}

// bodies are the bodies of the requests to paths ending in suffix.
func (r *rig) bodies(suffix string) []string {
	var out []string
	for _, e := range r.sim.Harness().Log().Entries() {
		if strings.HasSuffix(e.Path, suffix) {
			out = append(out, e.Body)
		}
	}
	return out
}
