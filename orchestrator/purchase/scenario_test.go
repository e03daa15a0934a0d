package purchase_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/lifecycle/lifecycletest"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/purchase"
)

var otherTokens = []events.UtilityToken{{Token: "9999 8888 7777 6666 5555", Units: "1", ReceiptNumber: "R-2", Amount: "1.00", Currency: "ZAR"}}

// TestSwallowedFirstAttemptCompletesThroughRetry: the first attempt gets no
// answer; 2s later the purchase is retried on the retry endpoint with the
// same id (the connector's Recover), which answers the tokens; they are
// kept on the transaction and in purchase.completed.
func TestSwallowedFirstAttemptCompletesThroughRetry(t *testing.T) {
	h := setup(t, "")
	id := create(h)
	sub := h.ExpectStatus(id, events.StatusSubmitted)
	req, err := purchase.Request(sub)
	if err != nil {
		t.Fatal(err)
	}
	if req.PurchaseID.Version() != 4 || sub.ProviderReference != req.PurchaseID.String() {
		t.Fatalf("purchase id %s (v%d), provider reference %q: want a v4 UUID, shown", req.PurchaseID, req.PurchaseID.Version(), sub.ProviderReference)
	}
	script := h.Provider(util, purchase.OpPurchase).Returns(swallowed, ok(tokens))
	h.RunWork()
	h.ExpectStatus(id, events.StatusRetrying)
	fireNext(t, h, 2*time.Second)

	done := h.ExpectStatus(id, events.StatusCompleted)
	if got := resource(h, id).Tokens; !reflect.DeepEqual(got, tokens) {
		t.Fatalf("tokens %+v, want %+v", got, tokens)
	}
	calls := script.Calls()
	if len(calls) != 2 || calls[0].Recovering || !calls[1].Recovering || !calls[1].Work.Recover {
		t.Fatalf("calls %+v: want the purchase, then its retry (Recover)", calls)
	}
	again, _ := purchase.Request(done)
	if !reflect.DeepEqual(again, req) {
		t.Fatalf("the request changed between attempts: %+v, then %+v", req, again)
	}
	h.ExpectEvents(id, "purchase.submitted", "purchase.retrying", "purchase.completed")
	evs := h.Events(id)
	var ev events.Event
	if err := json.Unmarshal(evs[len(evs)-1].Envelope, &ev); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ev.Data.Transaction.Tokens, tokens) {
		t.Fatalf("purchase.completed carries tokens %+v, want %+v", ev.Data.Transaction.Tokens, tokens)
	}
}

// TestUnavailableThreeTimesThenCompletes: 503 three times, on the schedule
// 2s, 5s, 15s, then the retry answers the tokens.
func TestUnavailableThreeTimesThenCompletes(t *testing.T) {
	h := setup(t, "")
	id := create(h)
	h.Provider(util, purchase.OpPurchase).Returns(unavailable, unavailable, unavailable, ok(tokens))
	h.RunWork()
	for _, d := range []time.Duration{2 * time.Second, 5 * time.Second, 15 * time.Second} {
		h.ExpectStatus(id, events.StatusRetrying)
		fireNext(t, h, d)
	}
	h.ExpectStatus(id, events.StatusCompleted)
	h.ExpectEvents(id, "purchase.submitted", "purchase.retrying", "purchase.completed")
	h.ExpectCalls("utility/purchase", "utility/purchase", "utility/purchase", "utility/purchase")
}

// TestGatewayTimeoutUntilHorizonFails: 504 on every attempt, on the
// merchant's own schedule, until its horizon: failed retries_exhausted,
// counted in the metric, with a message an operator can act on.
func TestGatewayTimeoutUntilHorizonFails(t *testing.T) {
	h := setup(t, `{"retry_schedule":["1s","2s"],"retry_every":"4s","retry_horizon":"10s"}`)
	before := metrics.Default.Value(purchase.MetricRetriesExhausted)
	id := create(h)
	script := h.Provider(util, purchase.OpPurchase)
	script.Returns(gatewayTO)
	h.RunWork()
	for _, d := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 3 * time.Second} {
		script.Returns(gatewayTO)
		fireNext(t, h, d)
	}
	p := h.ExpectStatus(id, events.StatusFailed)
	if p.Reason == nil || p.Reason.Code != events.ReasonRetriesExhausted || !strings.Contains(p.Reason.Message, "UPSTREAM_TIMEOUT") {
		t.Fatalf("reason %+v, want retries_exhausted naming the last answer", p.Reason)
	}
	if got := metrics.Default.Value(purchase.MetricRetriesExhausted) - before; got < 1 {
		t.Fatalf("%s moved by %d, want at least 1", purchase.MetricRetriesExhausted, got)
	}
	h.Advance(time.Hour)
	if n := h.FireTimers(); n != 0 {
		t.Fatalf("%d timers fired after the purchase failed", n)
	}
	h.ExpectEvents(id, "purchase.submitted", "purchase.retrying", "purchase.failed")
	if n := len(script.Calls()); n != 5 {
		t.Fatalf("%d calls, want 5 (0s, 1s, 3s, 7s, 10s)", n)
	}
}

// TestNotFoundOnRetry: the retry answers 404 (the provider never received
// the purchase). Without resend_on_not_found it is declined saying so; with
// it, it is sent again as a normal purchase (not the retry) with the SAME
// id, and completes.
func TestNotFoundOnRetry(t *testing.T) {
	t.Run("declined", func(t *testing.T) {
		h := setup(t, "")
		id := create(h)
		h.Provider(util, purchase.OpPurchase).Returns(swallowed, notFound)
		h.RunWork()
		fireNext(t, h, 2*time.Second)
		p := h.ExpectStatus(id, events.StatusDeclined)
		if p.Reason == nil || p.Reason.Code != events.ReasonProviderDeclined || p.Reason.ProviderCode != "UNABLE_TO_LOCATE_RECORD" ||
			!strings.Contains(p.Reason.Message, "never received") {
			t.Fatalf("reason %+v", p.Reason)
		}
		h.ExpectEvents(id, "purchase.submitted", "purchase.retrying", "purchase.declined")
	})
	t.Run("sent again", func(t *testing.T) {
		h := setup(t, `{"resend_on_not_found":true}`)
		id := create(h)
		script := h.Provider(util, purchase.OpPurchase).Returns(swallowed, notFound, ok(tokens))
		h.RunWork()
		fireNext(t, h, 2*time.Second)
		h.ExpectStatus(id, events.StatusCompleted)
		calls := script.Calls()
		if len(calls) != 3 || calls[0].Recovering || !calls[1].Recovering || calls[2].Recovering || calls[2].Work.Recover {
			t.Fatalf("calls %+v: want the purchase, its retry, then the purchase again", calls)
		}
		if calls[2].Txn.ID != calls[0].Txn.ID || calls[2].Txn.ProviderReference != calls[0].Txn.ProviderReference {
			t.Fatalf("sent again for another purchase: %s, %s", calls[2].Txn.ProviderReference, calls[0].Txn.ProviderReference)
		}
	})
}

// TestDualMessageConfirmation: after the tokens a confirmation advice goes
// out; the provider asks to retry it twice; it is repeated on the durable
// back-off until delivered, visible on the transaction all along.
func TestDualMessageConfirmation(t *testing.T) {
	h := setup(t, `{"dual_message":true}`)
	id := create(h)
	h.Provider(util, purchase.OpPurchase).Returns(ok(tokens))
	confirm := h.Provider(util, purchase.OpConfirm).Returns(retryLater, retryLater, delivered)
	h.RunWork()
	h.ExpectStatus(id, events.StatusCompleted)
	expectAdvice(t, h, id, events.PurchaseAdvice{Op: "confirm", Status: "retrying", Attempts: 1})
	fireNext(t, h, 2*time.Second)
	expectAdvice(t, h, id, events.PurchaseAdvice{Op: "confirm", Status: "retrying", Attempts: 2})
	fireNext(t, h, 5*time.Second)
	expectAdvice(t, h, id, events.PurchaseAdvice{Op: "confirm", Status: "delivered", Attempts: 3})
	if n := len(confirm.Calls()); n != 3 {
		t.Fatalf("%d confirmations, want 3", n)
	}
	if got := resource(h, id).Tokens; !reflect.DeepEqual(got, tokens) {
		t.Fatalf("tokens %+v after the advice", got)
	}
	h.ExpectEvents(id, "purchase.submitted", "purchase.completed")
}

// TestDualMessageReversalAfterDeclineAfterUnknown: the first attempt gets
// no answer, its retry is declined: the purchase ends without tokens, and a
// reversal advice goes out store-and-forward until delivered.
func TestDualMessageReversalAfterDeclineAfterUnknown(t *testing.T) {
	h := setup(t, `{"dual_message":true}`)
	id := create(h)
	h.Provider(util, purchase.OpPurchase).Returns(swallowed,
		lifecycle.Result{Outcome: lifecycle.Declined, Code: "METER_BLOCKED", Message: "meter blocked"})
	reverse := h.Provider(util, purchase.OpReverse).Returns(swallowed, delivered)
	h.RunWork()
	fireNext(t, h, 2*time.Second)
	p := h.ExpectStatus(id, events.StatusDeclined)
	if p.Reason == nil || p.Reason.ProviderCode != "METER_BLOCKED" {
		t.Fatalf("reason %+v", p.Reason)
	}
	expectAdvice(t, h, id, events.PurchaseAdvice{Op: "reverse", Status: "retrying", Attempts: 1})
	fireNext(t, h, 2*time.Second)
	expectAdvice(t, h, id, events.PurchaseAdvice{Op: "reverse", Status: "delivered", Attempts: 2})
	if n := len(reverse.Calls()); n != 2 {
		t.Fatalf("%d reversals, want 2", n)
	}
	if len(resource(h, id).Tokens) != 0 {
		t.Fatal("a declined purchase shows tokens")
	}
	h.ExpectEvents(id, "purchase.submitted", "purchase.retrying", "purchase.declined")
}

// TestOneTokenSet: a replay of the create command is the same purchase
// with the same tokens, and a later answer with other tokens (a duplicate)
// never replaces them.
func TestOneTokenSet(t *testing.T) {
	h := setup(t, "")
	cmd := h.NewCommand(events.PurchaseCreate, purchaseData("04004444884"))
	first, err := h.Handle(cmd)
	if err != nil || first.Rejected != nil {
		t.Fatalf("create: %+v %v", first, err)
	}
	h.Provider(util, purchase.OpPurchase).Returns(ok(tokens))
	h.RunWork()
	if err := h.Engine.Apply(t.Context(), h.Merchant, first.TransactionID,
		lifecycle.Result{Op: purchase.OpPurchase, Outcome: lifecycle.OK, Data: tokensJSON(otherTokens)}); err != nil {
		t.Fatal(err)
	}
	replay, err := h.Handle(cmd)
	if err != nil || replay.Rejected != nil || replay.TransactionID != first.TransactionID {
		t.Fatalf("replay: %+v %v, want transaction %s", replay, err, first.TransactionID)
	}
	if got := resource(h, replay.TransactionID).Tokens; !reflect.DeepEqual(got, tokens) {
		t.Fatalf("tokens %+v, want the first set %+v", got, tokens)
	}
	h.ExpectEvents(first.TransactionID, "purchase.submitted", "purchase.completed")
}

// TestTrack2IsSealed: a meter named by its track2 data: the data is sealed
// in the transaction (never in clear in its row, resource or events), the
// connector opens it (Track2), and the resource shows it masked.
func TestTrack2IsSealed(t *testing.T) {
	h := setup(t, "")
	const track2 = "6004000000000000001=25121010000000009"
	id := h.Command(events.PurchaseCreate, purchaseData(track2))
	p := h.Txn(id)
	row, _ := json.Marshal(p)
	if strings.Contains(string(row), "6004000000000") {
		t.Fatalf("the row holds the track2 data in clear: %s", row)
	}
	got, err := purchase.Track2(h.Sealer, p)
	if err != nil || got != track2 {
		t.Fatalf("Track2: %q, %v", got, err)
	}
	req, _ := purchase.Request(p)
	if !req.Meter.ByTrack2() || req.Meter.MeterID != "" || req.Meter.Track2 != "" {
		t.Fatalf("request meter %+v, want a track2 meter without its data", req.Meter)
	}
	r := resource(h, id)
	if r.Meter == nil || r.Meter.Track2 != "****0009" {
		t.Fatalf("resource meter %+v, want it masked", r.Meter)
	}
	for _, ev := range h.Events(id) {
		if strings.Contains(string(ev.Envelope), "6004000000000") {
			t.Fatalf("event %s holds the track2 data in clear", ev.Type)
		}
	}
	if _, err := purchase.Track2(h.Sealer, h.Txn(create(h))); err == nil {
		t.Fatal("Track2 of a meter_id purchase: want an error")
	}
}

// TestRequestSnapshot: everything the provider request needs is kept at
// creation; advice ids are stable per purchase and operation.
func TestRequestSnapshot(t *testing.T) {
	h := setup(t, "")
	id := create(h)
	p := h.Txn(id)
	req, err := purchase.Request(p)
	if err != nil {
		t.Fatal(err)
	}
	if req.Meter.MeterID != "04004444884" || req.Amount != "50.00" || req.Currency != "ZAR" || req.UtilityType != "electricity" ||
		req.MSISDN != "0821234567" || !strings.Contains(string(req.Tenders), "CASH") || !req.RequestedAt.Equal(h.Now()) {
		t.Fatalf("request %+v", req)
	}
	if p.Provider != util || !p.Amount.Equal(p.Amount.Round(2)) || p.Amount.String() != "50" || p.Metadata["till"] != "3" {
		t.Fatalf("transaction %+v", p)
	}
	c, r := purchase.AdviceID(p, purchase.OpConfirm), purchase.AdviceID(p, purchase.OpReverse)
	if c == r || c != purchase.AdviceID(p, purchase.OpConfirm) || c == uuid.Nil {
		t.Fatalf("advice ids %s %s", c, r)
	}
}

// TestRejectedCreate: a bad purchase.create is rejected naming its field.
func TestRejectedCreate(t *testing.T) {
	h := setup(t, "")
	d := purchaseData("04004444884")
	d["utility_type"] = "sunshine"
	if r := h.Rejected(events.PurchaseCreate, d); r.Code != events.ReasonInvalidRequest || !strings.Contains(r.Message+r.Field, "utility_type") {
		t.Fatalf("rejected %+v", r)
	}
}

func expectAdvice(t *testing.T, h *lifecycletest.Harness, id uuid.UUID, want events.PurchaseAdvice) {
	t.Helper()
	if got := resource(h, id).Advice; got == nil || *got != want {
		t.Fatalf("advice %+v, want %+v", got, want)
	}
}

// TestTrack2DroppedWhenDone: the sealed track2 data is kept only while a
// purchase call may need it (submitted, retrying); advices do not carry it.
func TestTrack2DroppedWhenDone(t *testing.T) {
	h := setup(t, `{"dual_message":true}`)
	id := h.Command(events.PurchaseCreate, purchaseData("6004000000000000001=25121010000000009"))
	h.Provider(util, purchase.OpPurchase).Returns(swallowed, ok(tokens))
	h.Provider(util, purchase.OpConfirm).Returns(delivered)
	h.RunWork()
	if _, err := purchase.Track2(h.Sealer, h.ExpectStatus(id, events.StatusRetrying)); err != nil {
		t.Fatalf("track2 gone while retrying: %v", err)
	}
	fireNext(t, h, 2*time.Second)
	p := h.ExpectStatus(id, events.StatusCompleted)
	if _, err := purchase.Track2(h.Sealer, p); err == nil {
		t.Fatal("the sealed track2 data is still kept after the purchase completed")
	}
	expectAdvice(t, h, id, events.PurchaseAdvice{Op: "confirm", Status: "delivered", Attempts: 1})
}
