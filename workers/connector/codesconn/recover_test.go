package codesconn

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/executor"
)

// toyCode stands in for the code lifecycle in these executor tests: a
// transaction "calling" awaits its create, and the first result applied
// moves it to "done", its outcome kept in details["outcome"].
type toyCode struct{}

const toyCodeType = "toycode"

func (toyCode) Type() string                  { return toyCodeType }
func (toyCode) Commands() []lifecycle.Command { return nil }
func (toyCode) Routes() []lifecycle.Route     { return nil }
func (toyCode) InFlight(s string) bool        { return s == "calling" }
func (toyCode) Final(s string) bool           { return s != "calling" }
func (toyCode) Parse(string, json.RawMessage) (lifecycle.Parsed, error) {
	return lifecycle.Parsed{}, errors.New("no commands")
}
func (toyCode) Create(*lifecycle.Creation) ([]effect.Effect, error) {
	return nil, errors.New("no commands")
}
func (toyCode) Awaits(t *store.Txn, _ string) bool   { return t.Status == "calling" }
func (toyCode) Show(*store.Txn, *events.Transaction) {}
func (toyCode) Decide(t *store.Txn, in lifecycle.Input, _ *lifecycle.Env) ([]effect.Effect, error) {
	r, ok := in.(lifecycle.Result)
	if !ok || t.Status != "calling" {
		return nil, lifecycle.ErrIgnored
	}
	t.Status = "done"
	if r.ProviderReference != "" {
		t.ProviderReference = r.ProviderReference
	}
	lifecycle.SetDetail(t, "outcome", r.Outcome.String())
	return nil, nil
}

// TestCreateNeverRepeated: through the executor, a create is made once and
// recorded as sent; when the attempt that sent it died before its result
// was committed, the next claim reports Unknown without calling the
// provider again (connector.ReportUnknown): no second code is made.
func TestCreateNeverRepeated(t *testing.T) {
	t.Parallel()
	for _, died := range []bool{false, true} {
		r := newRig(t)
		eng := engine.New(engine.Config{Store: r.deps.Store, Sealer: r.deps.Sealer, Lifecycles: lifecycle.NewRegistry(toyCode{})})
		x := executor.New(executor.Config{Engine: eng, Connectors: connector.NewRegistry(r.conn), Lease: time.Minute})
		txn := r.codeTxn(spec("10"))
		txn.Type, txn.Status, txn.Metadata = toyCodeType, "calling", map[string]string{}
		err := r.deps.Store.InTx(t.Context(), func(tx pgx.Tx) error {
			var b store.Batch
			b.TransactionInsert(txn)
			b.WorkInsert(store.WorkItem{Kind: store.WorkProviderCall, TransactionID: txn.ID, MerchantID: r.merchant,
				Provider: events.ProviderCodes, Op: OpCreate, Version: 1})
			return b.Send(t.Context(), tx)
		})
		if err != nil {
			t.Fatal(err)
		}
		if died { // a worker claimed it, recorded the call as sent, and died
			items, err := r.deps.Store.WorkClaim(t.Context(), store.WorkProviderCall, 10, time.Hour, 0)
			if err != nil || len(items) != 1 {
				t.Fatalf("claim: %+v, %v", items, err)
			}
			if _, err := r.deps.Store.WorkBegin(t.Context(), items[0]); err != nil {
				t.Fatal(err)
			}
			if err := r.deps.Store.WorkRelease(t.Context(), items[0], 0, false); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := x.RunOnce(t.Context()); err != nil || n != 1 {
			t.Fatalf("RunOnce: %d, %v", n, err)
		}
		got, err := r.deps.Store.TransactionGet(t.Context(), r.merchant, txn.ID)
		if err != nil {
			t.Fatal(err)
		}
		var outcome string
		lifecycle.Detail(got, "outcome", &outcome)
		creates := r.sim.Harness().Log().Count("POST", "/code/create")
		switch {
		case died && (outcome != "unknown" || creates != 0):
			t.Fatalf("after a died attempt: outcome %q with %d creates, want unknown and no call", outcome, creates)
		case !died && (outcome != "ok" || creates != 1 || got.ProviderReference == ""):
			t.Fatalf("first attempt: outcome %q with %d creates, provider reference %q, want ok, one create",
				outcome, creates, got.ProviderReference)
		}
	}
}
