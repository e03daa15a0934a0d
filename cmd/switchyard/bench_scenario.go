package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/switchyard/switchyard/events"
)

// scenario is what one bench lifecycle is: its two steps and how they are
// driven.
type scenario struct {
	name, title      string
	currency, amount string
	// rows label the latency figures: the whole lifecycle, then each step.
	rows [3]struct{ key, label string }
	run  func(b *bencher, ctx context.Context, i int) outcome
}

var scenarioOno = &scenario{
	name: "onoconnect", title: "ono//connect charge → confirm", currency: "ZAR", amount: "10.00",
	rows: [3]struct{ key, label string }{
		{"lifecycle", "create → confirmed"},
		{"create_to_authorized", "create → authorized"},
		{"confirm_to_confirmed", "confirm → confirmed"},
	},
	run: (*bencher).onoLifecycle,
}

var scenarioProcessOneVoid = &scenario{
	name: "processone-void", title: "ProcessOne card charge → full refund (void)", currency: "USD", amount: "10.00",
	rows: [3]struct{ key, label string }{
		{"lifecycle", "create → refund succeeded"},
		{"create_to_succeeded", "charge create → succeeded"},
		{"refund_to_succeeded", "refund create → succeeded (void)"},
	},
	run: (*bencher).processOneVoidLifecycle,
}

var scenarioUtilityRetry = &scenario{
	name: "utility-retry", title: "utility token purchase, first attempt 503, completed by one retry", currency: "ZAR", amount: "50.00",
	rows: [3]struct{ key, label string }{
		{"lifecycle", "create → completed"},
		{"create_to_retrying", "create → retrying (503)"},
		{"retrying_to_completed", "retrying → completed (the merchant's first retry delay, then the retry)"},
	},
	run: (*bencher).utilityRetryLifecycle,
}

var scenarios = []*scenario{scenarioOno, scenarioProcessOneVoid, scenarioUtilityRetry}

func scenarioByName(name string) *scenario {
	for _, s := range scenarios {
		if s.name == name {
			return s
		}
	}
	return nil
}

func scenarioNames() string {
	var n []string
	for _, s := range scenarios {
		n = append(n, s.name)
	}
	return strings.Join(n, ", ")
}

// benchProcessOneCard is the seed's approved Visa test card.
const benchProcessOneCard = `{"type":"card","card_number":"4111111111111111","cvv":"123","expiry_month":12,"expiry_year":2030,"holder_name":"Bench"}`

// processOneVoidLifecycle publishes a ProcessOne charge.create, waits for
// charge.succeeded, publishes refund.create for all of it (its batch is
// open: the orchestrator voids it) and waits for refund.succeeded.
func (b *bencher) processOneVoidLifecycle(ctx context.Context, i int) outcome {
	ref := fmt.Sprintf("bench-%s-%d", b.runID, i)
	createID, refundID := ref+"-create", ref+"-refund"
	w := &waiter{ch: make(chan arrival, 16)}
	b.router.add(w, createID, refundID)
	defer b.router.remove(createID, refundID)
	ctx, cancel := context.WithTimeout(ctx, b.cfg.timeout)
	defer cancel()
	o := outcome{ran: true}
	t0 := time.Now()
	err := b.publish(ctx, createID, events.ChargeCreate, events.ChargeCreateData{
		Provider: events.ProviderProcessOne, Amount: b.cfg.amount, Currency: b.cfg.scenario.currency, Reference: ref,
		PaymentMethod: json.RawMessage(benchProcessOneCard), Metadata: map[string]string{"bench_run": b.runID}})
	if err != nil {
		return o.fail(err)
	}
	ev, at, err := w.await(ctx, events.EventType(events.TypeCharge, events.StatusSucceeded), createID)
	if err != nil {
		return o.fail(err)
	}
	o.authorize = at.Sub(t0)
	b.router.add(w, ev.Subject)
	defer b.router.remove(ev.Subject)
	t2 := time.Now()
	if err = b.publish(ctx, refundID, events.RefundCreate, events.RefundCreateData{TransactionID: ev.Subject}); err != nil {
		return o.fail(err)
	}
	// The refund's later events carry its own id as subject: route them
	// once its first event (caused by refund.create) names it.
	for {
		ev, at, err = w.await(ctx, "", refundID)
		if err != nil {
			return o.fail(err)
		}
		if ev.Type == events.EventType(events.TypeRefund, events.StatusSucceeded) {
			break
		}
		if strings.HasPrefix(ev.Type, events.TypeRefund+".") {
			b.router.add(w, ev.Subject)
			defer b.router.remove(ev.Subject)
		}
	}
	o.confirm, o.total = at.Sub(t2), at.Sub(t0)
	return o
}

// benchRetryMeter is the utility simulator's test meter whose first
// purchase attempt of each purchase id is answered 503 (nothing issued).
const benchRetryMeter = "03000000003"

// utilityRetryLifecycle publishes a purchase.create whose first attempt the
// simulator answers 503, waits for purchase.retrying and then for
// purchase.completed (the retry, with the same purchase id, after the
// merchant's first retry delay).
func (b *bencher) utilityRetryLifecycle(ctx context.Context, i int) outcome {
	ref := fmt.Sprintf("bench-%s-%d", b.runID, i)
	createID := ref + "-create"
	w := &waiter{ch: make(chan arrival, 16)}
	b.router.add(w, createID)
	defer b.router.remove(createID)
	ctx, cancel := context.WithTimeout(ctx, b.cfg.timeout)
	defer cancel()
	o := outcome{ran: true}
	t0 := time.Now()
	err := b.publish(ctx, createID, events.PurchaseCreate, events.PurchaseCreateData{
		Provider: events.ProviderUtility, Meter: json.RawMessage(`{"meter_id":"` + benchRetryMeter + `"}`),
		Amount: b.cfg.amount, Currency: b.cfg.scenario.currency, UtilityType: "electricity", Reference: ref,
		Metadata: map[string]string{"bench_run": b.runID}})
	if err != nil {
		return o.fail(err)
	}
	ev, _, err := w.await(ctx, "", createID) // purchase.submitted names the transaction
	if err != nil {
		return o.fail(err)
	}
	b.router.add(w, ev.Subject)
	defer b.router.remove(ev.Subject)
	ev, at, err := w.await(ctx, events.EventType(events.TypePurchase, events.StatusRetrying), createID)
	if err != nil {
		return o.fail(err)
	}
	o.authorize = at.Sub(t0)
	t2 := at
	if _, at, err = w.await(ctx, events.EventType(events.TypePurchase, events.StatusCompleted), createID); err != nil {
		return o.fail(err)
	}
	_ = ev
	o.confirm, o.total = at.Sub(t2), at.Sub(t0)
	return o
}
