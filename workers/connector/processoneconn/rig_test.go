package processoneconn

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
	"github.com/switchyard/switchyard/workers/processone"
	"github.com/switchyard/switchyard/workers/processone/processonesim"
	"github.com/switchyard/switchyard/workers/simulator"
)

// simNow is the simulator's fixed clock: its batches close only when a
// test closes them (CloseBatch), never by the time of day.
var simNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// rig is a ProcessOne connector against its simulator over HTTP, with a
// real database and a merchant whose account holds the simulator's key.
type rig struct {
	deps     connector.Deps
	sim      *processonesim.Simulator
	conn     *connector.Connector
	client   *processone.Client
	merchant uuid.UUID
	mu       sync.Mutex
	n        int
}

func newRig(t *testing.T, opts processonesim.Options) *rig {
	t.Helper()
	opts.Now = func() time.Time { return simNow }
	opts.BatchCutoff = "off"
	sim := processonesim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	deps := connectortest.Deps(t)
	r := &rig{deps: deps, sim: sim, conn: newConn(deps, srv.URL, 2*time.Second).connector()}
	r.merchant = connectortest.Merchant(t, deps, map[string]string{
		events.ProviderProcessOne: `{"authentication_key":"` + processonesim.DevAuthenticationKey + `"}`})
	cl, err := processone.NewClient(processone.Config{BaseURL: srv.URL, AuthenticationKey: processonesim.DevAuthenticationKey})
	if err != nil {
		t.Fatal(err)
	}
	r.client = cl
	return r
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

// call runs op's Call (or its Recover) on txn.
func (r *rig) call(t *testing.T, name string, txn *store.Txn, recover bool) lifecycle.Result {
	t.Helper()
	op := r.op(t, name)
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

// chargeTxn is a pending charge of amount paid with pm, saving it as saveAs
// when not "".
func (r *rig) chargeTxn(amount string, pm json.RawMessage, saveAs string) *store.Txn {
	return r.chargeTxnOf(r.merchant, amount, pm, saveAs)
}

// chargeTxnOf is chargeTxn for merchant.
func (r *rig) chargeTxnOf(merchant uuid.UUID, amount string, pm json.RawMessage, saveAs string) *store.Txn {
	r.mu.Lock()
	r.n++
	n := r.n
	r.mu.Unlock()
	txn := &store.Txn{ID: uuid.New(), MerchantID: merchant, Type: events.TypeCharge, Status: events.StatusPending,
		Provider: events.ProviderProcessOne, Amount: decimal.RequireFromString(amount), Currency: "USD",
		Reference: fmt.Sprintf("order-%d", n), Metadata: map[string]string{}, Version: 1, CreatedAt: time.Now()}
	charge.SealForTest(r.deps.Sealer, txn, pm, saveAs)
	return txn
}

// succeeded records charge txn as approved with ProcessOne's id ref, the
// way the charge lifecycle does, so that refunds can name it.
func (r *rig) succeeded(t *testing.T, txn *store.Txn, ref string) {
	t.Helper()
	txn.Status, txn.ProviderReference = events.StatusSucceeded, ref
	r.insert(t, txn)
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

// refundTxn is a refund of amount of parent.
func (r *rig) refundTxn(parent *store.Txn, amount string) *store.Txn {
	pid := parent.ID
	return &store.Txn{ID: uuid.New(), MerchantID: r.merchant, Type: events.TypeRefund, Status: events.StatusPending,
		Provider: events.ProviderProcessOne, Amount: decimal.RequireFromString(amount), Currency: parent.Currency,
		ParentID: &pid, Metadata: map[string]string{}, Version: 1, CreatedAt: time.Now()}
}

// approvedCharge charges pm for amount, checks it was approved and records
// it as succeeded.
func (r *rig) approvedCharge(t *testing.T, amount string, pm json.RawMessage) *store.Txn {
	t.Helper()
	txn := r.chargeTxn(amount, pm, "")
	res := r.call(t, OpCharge, txn, false)
	if res.Outcome != lifecycle.OK || res.ProviderReference == "" {
		t.Fatalf("charge of %s: %+v", amount, res)
	}
	r.succeeded(t, txn, res.ProviderReference)
	return txn
}

// byCallback is what ProcessOne holds under the CallbackId of op on txn.
func (r *rig) byCallback(t *testing.T, txn *store.Txn, op string) *processone.TransactionInformation {
	t.Helper()
	got, err := r.client.TransactionGetByCallbackID(t.Context(), &processone.GetTransactionByCallbackIDRequest{
		CallbackID: CallbackID(txn.ID, op)})
	if err != nil {
		t.Fatalf("query %s of %s: %v", op, txn.ID, err)
	}
	return got.TransactionInformation
}

// count is how many requests reached path.
func (r *rig) count(path string) int { return r.sim.Harness().Log().Count("POST", path) }

func card(number string) json.RawMessage {
	cvv := "987"
	if len(number) == 15 {
		cvv = "9876"
	}
	return json.RawMessage(`{"type":"card","card_number":"` + number + `","cvv":"` + cvv +
		`","expiry_month":12,"expiry_year":2030,"holder_name":"John Stevens","zip":"12345"}`)
}

func bank(account string) json.RawMessage {
	return json.RawMessage(`{"type":"bank_account","routing_number":"121042882","account_number":"` + account +
		`","account_type":"checking","holder_name":"John Stevens"}`)
}

func token(pmID string) json.RawMessage {
	return json.RawMessage(`{"type":"token","token":"` + pmID + `"}`)
}

// want checks a result's outcome and code.
func want(t *testing.T, what string, got lifecycle.Result, outcome lifecycle.Outcome, code string) {
	t.Helper()
	if got.Outcome != outcome || got.Code != code {
		t.Fatalf("%s: %s %q (%s), want %s %q", what, got.Outcome, got.Code, got.Message, outcome, code)
	}
	if outcome == lifecycle.OK && got.ProviderReference == "" {
		t.Fatalf("%s: approved without a TransactionId", what)
	}
}

func newPMID() string { return "pm_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:24] }

// lastBody is the (masked) body of the last request to a path ending in
// suffix.
func (r *rig) lastBody(t *testing.T, suffix string) string {
	t.Helper()
	entries := r.sim.Harness().Log().Entries()
	for i := len(entries) - 1; i >= 0; i-- {
		if strings.HasSuffix(entries[i].Path, suffix) {
			return entries[i].Body
		}
	}
	t.Fatalf("no request to *%s", suffix)
	return ""
}

func simulatorDrop(path string) simulator.Fault { return simulator.Fault{Path: path, Drop: true} }

func secretAAD(r *rig, pmID string) []byte {
	return secret.PaymentMethodTokenAAD(r.merchant.String(), pmID)
}
