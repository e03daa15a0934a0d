package purchase_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/lifecycle/lifecycletest"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/purchase"
	"github.com/switchyard/switchyard/workers/connector"
)

const util = events.ProviderUtility

// setup returns a harness running the purchase lifecycle for a merchant
// with these utility settings, whose scripted operations follow the
// recovery rules the utility connector declares: the purchase is retried
// with the same id, advices are repeated.
func setup(t *testing.T, settings string) *lifecycletest.Harness {
	t.Parallel()
	h := lifecycletest.New(t, purchase.New())
	spec := merchant.Spec{Name: "Utility Shop"}
	if settings != "" {
		spec.ProviderSettings = map[string]json.RawMessage{util: json.RawMessage(settings)}
	}
	h.Merchant = h.NewMerchant(spec)
	noop := func(_ context.Context, _ connector.Call) (lifecycle.Result, error) { return lifecycle.Result{}, nil }
	h.Rules(&connector.Connector{Provider: util, Operations: []connector.Operation{
		{Name: purchase.OpPurchase, Recovery: connector.RetrySameID, Call: noop, Recover: noop},
		{Name: purchase.OpConfirm, Recovery: connector.Repeat, Call: noop},
		{Name: purchase.OpReverse, Recovery: connector.Repeat, Call: noop},
	}})
	return h
}

// purchaseData is purchase.create's data for meter (a meter_id, or a
// track2 when it holds "=").
func purchaseData(meter string) map[string]any {
	m := map[string]any{"meter_id": meter}
	if strings.Contains(meter, "=") {
		m = map[string]any{"track2": meter}
	}
	return map[string]any{"meter": m, "amount": "50.00", "currency": "ZAR", "utility_type": "electricity",
		"msisdn": "0821234567", "tenders": []any{map[string]any{"tender_type": "CASH", "amount": "50.00"}},
		"metadata": map[string]string{"till": "3"}}
}

func create(h *lifecycletest.Harness) uuid.UUID {
	return h.Command(events.PurchaseCreate, purchaseData("04004444884"))
}

func ok(ts []events.UtilityToken) lifecycle.Result {
	return lifecycle.Result{Outcome: lifecycle.OK, Data: tokensJSON(ts)}
}

var (
	swallowed   = lifecycle.Result{Outcome: lifecycle.Unknown, Message: "time-out"}
	unavailable = lifecycle.Result{Outcome: lifecycle.Unknown, Code: "UPSTREAM_UNAVAILABLE", Message: "503"}
	gatewayTO   = lifecycle.Result{Outcome: lifecycle.Unknown, Code: "UPSTREAM_TIMEOUT", Message: "504"}
	notFound    = lifecycle.Result{Outcome: lifecycle.NotFound, Code: "UNABLE_TO_LOCATE_RECORD", Message: "no such purchase"}
	retryLater  = lifecycle.Result{Outcome: lifecycle.RetryLater, Message: "503"}
	delivered   = lifecycle.Result{Outcome: lifecycle.OK}
)

// resource is transaction id as the API shows it.
func resource(h *lifecycletest.Harness, id uuid.UUID) *events.Transaction {
	return h.Engine.Resource(h.Txn(id))
}

// fireNext moves the fake clock to the next timer, fires it and runs the
// work it causes; it fails the test unless that timer is d away.
func fireNext(t *testing.T, h *lifecycletest.Harness, d time.Duration) {
	t.Helper()
	next := h.NextTimer()
	if next.IsZero() || next.Sub(h.Now()) != d {
		t.Fatalf("next timer at %v, %v from now; want %v", next, next.Sub(h.Now()), d)
	}
	h.Advance(d)
	if n := h.FireTimers(); n != 1 {
		t.Fatalf("%d timers fired, want 1", n)
	}
	h.RunWork()
}
