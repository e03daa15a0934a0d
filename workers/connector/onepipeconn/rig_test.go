package onepipeconn

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
)

// simT0 is the simulator's clock at the start of every test; tests move it
// with sim.Advance.
var simT0 = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

// rig is the OnePipe connector against its simulator over HTTP, with a real
// database and a merchant whose account holds the simulator's credentials.
type rig struct {
	deps     connector.Deps
	sim      *onepipesim.Simulator
	conn     *connector.Connector
	url      string
	merchant uuid.UUID
}

func newRig(t *testing.T, opts onepipesim.Options) *rig {
	t.Helper()
	opts.Now = func() time.Time { return simT0 }
	sim := onepipesim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	deps := connectortest.Deps(t)
	r := &rig{deps: deps, sim: sim, conn: newConn(deps, srv.URL, 2*time.Second).connector(), url: srv.URL}
	r.merchant = connectortest.Merchant(t, deps, map[string]string{
		events.ProviderOnePipe: `{"api_key":"` + onepipesim.DefaultSimAPIKey + `","secret":"` + onepipesim.DefaultSimSecret + `"}`})
	return r
}

// call runs operation name's Call (or, recover, its Recover) on txn.
func (r *rig) call(t *testing.T, name string, txn *store.Txn, recover bool) lifecycle.Result {
	t.Helper()
	var op connector.Operation
	for _, o := range r.conn.Operations {
		if o.Name == name {
			op = o
		}
	}
	if op.Call == nil {
		t.Fatalf("the connector has no operation %q", name)
	}
	fn := op.Call
	if recover {
		if op.Recovery != connector.QueryFirst || op.Recover == nil {
			t.Fatalf("%s: recovery %v", name, op.Recovery)
		}
		fn = op.Recover
	}
	res, err := fn(t.Context(), connector.Call{Txn: txn})
	if err != nil {
		t.Fatalf("%s: local error %v", name, err)
	}
	if res.Op != name {
		t.Fatalf("%s: result for op %q", name, res.Op)
	}
	return res
}

// The details the consent and hold lifecycles write (see the shared
// design); sealed here the way they seal them.
const (
	keyAuth, purposeAuth   = "auth_sealed", "onepipe.auth"
	keyOTP, purposeOTP     = "otp_sealed", "onepipe.otp"
	keyToken, purposeToken = "provider_token_sealed", "onepipe.provider_token"
)

func cardAuth() string {
	return `{"type":"card","number":"5061040000000000215","cvv":"123","expiry_month":12,"expiry_year":2026,"pin":"1234"}`
}

func bankAuth() string {
	return `{"type":"bank.account","account_number":"3056433222","bank_code":"000016"}`
}

func walletAuth() string { return `{"type":"wallet","wallet_id":"wallet-0803"}` }

// consentTxn is a pending consent of amount with auth sealed, and a
// customer whose mobile number the simulator's prompt masks.
func (r *rig) consentTxn(auth, amount string) *store.Txn {
	txn := &store.Txn{ID: uuid.New(), MerchantID: r.merchant, Type: "consent", Status: "pending",
		Provider: events.ProviderOnePipe, Amount: decimal.RequireFromString(amount), Currency: "NGN",
		Metadata: map[string]string{}, Version: 1, CreatedAt: time.Now()}
	lifecycle.SealDetail(r.deps.Sealer, txn, keyAuth, purposeAuth, []byte(auth))
	lifecycle.SetDetail(txn, "customer", map[string]string{"firstname": "Uju", "surname": "Usmanu",
		"email": "ujuusmanu@gmail.com", "mobile_no": "234802343132"})
	return txn
}

// withOTP seals otp into the consent, as consent.validate does.
func (r *rig) withOTP(txn *store.Txn, otp string) *store.Txn {
	lifecycle.SealDetail(r.deps.Sealer, txn, keyOTP, purposeOTP, []byte(otp))
	return txn
}

// grantedConsent runs a consent of auth to granted (OTP 123456), seals the
// token the way the consent lifecycle does, and stores it, so that holds
// can name it as their parent.
func (r *rig) grantedConsent(t *testing.T, auth string) *store.Txn {
	t.Helper()
	txn := r.consentTxn(auth, "1.00")
	want(t, "consent", r.call(t, opConsent, txn, false), lifecycle.OK, "WaitingForOTP")
	res := r.call(t, opValidate, r.withOTP(txn, onepipesim.DefaultSimOTP), false)
	want(t, "validate", res, lifecycle.OK, "")
	if res.Secret.IsZero() {
		t.Fatal("granted without a provider token")
	}
	lifecycle.SealDetail(r.deps.Sealer, txn, keyToken, purposeToken, res.Secret.Reveal())
	delete(txn.Details, keyOTP)
	delete(txn.Details, keyAuth)
	txn.Status = "granted"
	r.insert(t, txn)
	return txn
}

func (r *rig) insert(t *testing.T, txn *store.Txn) {
	t.Helper()
	err := r.deps.Store.InTx(t.Context(), func(tx pgx.Tx) error {
		var b store.Batch
		b.TransactionInsert(txn)
		return b.Send(t.Context(), tx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// holdTxn is a pending hold of amount on consent.
func (r *rig) holdTxn(consent *store.Txn, amount string) *store.Txn {
	pid := consent.ID
	return &store.Txn{ID: uuid.New(), MerchantID: r.merchant, Type: "hold", Status: "pending",
		Provider: events.ProviderOnePipe, Amount: decimal.RequireFromString(amount), Currency: "NGN",
		ParentID: &pid, Metadata: map[string]string{}, Version: 1, CreatedAt: time.Now()}
}

// heldHold places a hold of amount on a fresh granted consent.
func (r *rig) heldHold(t *testing.T, amount string) *store.Txn {
	t.Helper()
	h := r.holdTxn(r.grantedConsent(t, cardAuth()), amount)
	want(t, "hold", r.call(t, opHold, h, false), lifecycle.OK, "")
	return h
}

// capturing marks hold h as capturing amount, as hold.capture does.
func capturing(h *store.Txn, amount string) *store.Txn {
	lifecycle.SetDetail(h, "capture", map[string]string{"amount": amount})
	return h
}

// want checks a result's outcome and code.
func want(t *testing.T, what string, got lifecycle.Result, outcome lifecycle.Outcome, code string) {
	t.Helper()
	if got.Outcome != outcome || got.Code != code {
		t.Fatalf("%s: %s %q (%s), want %s %q", what, got.Outcome, got.Code, got.Message, outcome, code)
	}
}

// sent is what the simulator received: the refs of each request to path.
type sent struct{ RequestRef, TransactionRef, Parent string }

func (r *rig) sent(t *testing.T, path string) []sent {
	t.Helper()
	var out []sent
	for _, e := range r.sim.Harness().Log().Entries() {
		if e.Path != path {
			continue
		}
		var body struct {
			RequestRef  string `json:"request_ref"`
			Transaction struct {
				TransactionRef string `json:"transaction_ref"`
				Parent         string `json:"transaction_ref_parent"`
			} `json:"transaction"`
		}
		if err := json.Unmarshal([]byte(e.Body), &body); err != nil {
			t.Fatalf("request to %s: %v", path, err)
		}
		out = append(out, sent{body.RequestRef, body.Transaction.TransactionRef, body.Transaction.Parent})
	}
	return out
}

// count is how many requests reached path.
func (r *rig) count(path string) int { return r.sim.Harness().Log().Count("POST", path) }

// data decodes a result's Data.
func data(t *testing.T, res lifecycle.Result) map[string]string {
	t.Helper()
	m := map[string]string{}
	if len(res.Data) > 0 {
		if err := json.Unmarshal(res.Data, &m); err != nil {
			t.Fatalf("Data %s: %v", res.Data, err)
		}
	}
	return m
}

// wantTime checks that Data's key is the RFC 3339 time at.
func wantTime(t *testing.T, res lifecycle.Result, key string, at time.Time) {
	t.Helper()
	got, err := time.Parse(time.RFC3339, data(t, res)[key])
	if err != nil || !got.Equal(at) {
		t.Fatalf("Data %s: %s = %v (%v), want %s", res.Data, key, got, err, at)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// The operations' names, as the lifecycles' effect.Call names them.
const (
	opConsent  = "consent"
	opValidate = "validate"
	opHold     = "hold"
	opCapture  = "capture"
	opRelease  = "release"
)
