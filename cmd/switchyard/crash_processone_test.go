//go:build linux

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
)

// The ProcessOne crash test: card sales and their full refunds (voids, the
// batch being open) through a real `switchyard dev`, SIGKILLed while sale
// and void calls marked sent are in flight (the provider acts at once and
// answers late). After the restart every command is sent again, as a client
// would. Then: every sale voided and every refund succeeded, exactly once
// each at the provider — each CallbackId was sent in one call, and the calls
// the dead process had in flight were recovered by a query by CallbackId,
// never sent again.
const (
	p1CrashSales   = 60
	p1CrashSlow    = 1500 * time.Millisecond
	p1CrashInCalls = 4 // sale calls and void calls each, marked sent and in flight at the kill
)

func TestCrashRecoveryProcessOne(t *testing.T) {
	rig := newCrashRig(t, "--processone-url", "/processone")
	db, sim := rig.db, rig.sim
	dev1, info := rig.start(t, "dev#1")
	ctx, cancel := context.WithCancel(t.Context())
	js := connectJS(t, info)
	r := startRefunder(ctx, t, js, info.MerchantID)
	// The first half of the sales: their voids are answered late.
	simArm(t, sim.url, fmt.Sprintf(`{"path":"/api/CreditCard/Void","method":"POST","delay_ms":%d,"count":%d}`, p1CrashSlow.Milliseconds(), p1CrashSales))
	publishSales(ctx, t, js, info.MerchantID, 0, p1CrashSales/2)
	waitFor(t, 45*time.Second, "void calls marked sent in flight", dev1, func() (bool, string) {
		n := inFlight(t, db, "void")
		return n >= p1CrashInCalls, fmt.Sprintf("%d", n)
	})
	// The second half: their sales are answered late.
	simArm(t, sim.url, fmt.Sprintf(`{"path":"/api/CreditCard/Charge","method":"POST","delay_ms":%d,"count":%d}`, p1CrashSlow.Milliseconds(), p1CrashSales))
	publishSales(ctx, t, js, info.MerchantID, p1CrashSales/2, p1CrashSales)
	waitFor(t, 30*time.Second, "sale calls marked sent in flight", dev1, func() (bool, string) {
		n := inFlight(t, db, "charge")
		return n >= p1CrashInCalls, fmt.Sprintf("%d", n)
	})
	sales, voids := inFlight(t, db, "charge"), inFlight(t, db, "void")
	dev1.kill(t)
	cancel()
	r.stop()
	simDisarmAt(t, sim.url, "/processone")
	t.Logf("SIGKILL with %d sale and %d void calls marked sent in flight; %d refunds asked", sales, voids, r.count())

	restarted := time.Now()
	dev2, info2 := rig.start(t, "dev#2")
	ctx2, cancel2 := context.WithCancel(t.Context())
	defer cancel2()
	js2 := connectJS(t, info2)
	r2 := startRefunder(ctx2, t, js2, info.MerchantID)
	defer r2.stop()
	publishSales(ctx2, t, js2, info.MerchantID, 0, p1CrashSales) // every create again: answered from its first commit
	rig.waitSettled(t, dev2, "every sale voided, every refund succeeded", func() (bool, string) {
		s := p1Summary(t, db, info.MerchantID)
		return s == fmt.Sprintf("charge/voided=%d refund/succeeded=%d", p1CrashSales, p1CrashSales), s
	})
	t.Logf("recovered %v after the restart", time.Since(restarted).Round(time.Millisecond))
	checkOutboxEmpty(t, db)
	checkP1Amounts(t, db, info.MerchantID)
	checkP1Provider(t, db, sim.url, info.MerchantID)
	for _, p := range []*proc{dev1, dev2} {
		p.checkNoRace(t)
		p.logWarnings(t)
	}
}

func p1Reference(i int) string { return "p1crash-" + strconv.Itoa(i) }

// publishSales publishes the sales [from, to) (command id = reference).
func publishSales(ctx context.Context, t *testing.T, js jetstream.JetStream, merchant string, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		data := fmt.Sprintf(`{"provider":"processone","amount":"%d.00","currency":"USD","reference":%q,`+
			`"payment_method":{"type":"card","card_number":"4111111111111111","cvv":"123","expiry_month":12,"expiry_year":2031,"holder_name":"Crash Test"}}`,
			20+i, p1Reference(i))
		id := p1Reference(i)
		if _, err := publishCommand(ctx, js, merchant, events.ChargeCreate, id, commandEnvelope(id, events.ChargeCreate, data)); err != nil {
			if ctx.Err() != nil {
				return
			}
			t.Fatalf("publish %s: %v", id, err)
		}
	}
}

// refunder follows charge.succeeded from the start of PAY_EVENTS and asks
// for one full refund (command id refund-<charge id>) of each charge.
type refunder struct {
	cc   jetstream.ConsumeContext
	mu   sync.Mutex
	seen map[string]bool
}

func startRefunder(ctx context.Context, t *testing.T, js jetstream.JetStream, merchant string) *refunder {
	t.Helper()
	cons, err := js.OrderedConsumer(ctx, events.StreamEvents, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{events.EventSubject(merchant, events.EventType(events.TypeCharge, events.StatusSucceeded))}})
	if err != nil {
		t.Fatal(err)
	}
	r := &refunder{seen: map[string]bool{}}
	r.cc, err = cons.Consume(func(m jetstream.Msg) {
		var ev events.Event
		if json.Unmarshal(m.Data(), &ev) != nil {
			return
		}
		id := "refund-" + ev.Subject
		body := commandEnvelope(id, events.RefundCreate, fmt.Sprintf(`{"transaction_id":%q}`, ev.Subject))
		if _, err := publishCommand(ctx, js, merchant, events.RefundCreate, id, body); err == nil {
			r.mu.Lock()
			r.seen[ev.Subject] = true
			r.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *refunder) stop() { r.cc.Stop() }

func (r *refunder) count() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.seen) }

// inFlight counts op's work items claimed (lease running) and marked sent.
func inFlight(t *testing.T, db *pgxpool.Pool, op string) int {
	var n int
	if err := db.QueryRow(t.Context(), `SELECT count(*) FROM work_items WHERE operation = $1 AND available_at > now() AND sent_attempt > 0`, op).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func p1Summary(t *testing.T, db *pgxpool.Pool, merchant string) string {
	rows, err := db.Query(t.Context(), `SELECT type || '/' || status || '=' || count(*) FROM transactions
		WHERE merchant_id = $1 GROUP BY type, status ORDER BY type, status`, merchant)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// checkP1Amounts: every charge fully refunded, nothing left reserved, and
// every refund a void of its whole charge.
func checkP1Amounts(t *testing.T, db *pgxpool.Pool, merchant string) {
	t.Helper()
	var bad int
	err := db.QueryRow(t.Context(), `SELECT count(*) FROM transactions c
		WHERE c.merchant_id = $1 AND c.type = 'charge'
		  AND (c.refunded_amount <> c.amount OR c.reserved_amount <> 0
		       OR (SELECT count(*) FROM transactions r WHERE r.merchant_id = c.merchant_id AND r.parent_id = c.id
		           AND r.status = 'succeeded' AND r.amount = c.amount) <> 1)`, merchant).Scan(&bad)
	if err != nil || bad != 0 {
		t.Fatalf("%d charges not refunded exactly once in full (%v)", bad, err)
	}
}

// checkP1Provider: the provider got exactly one sale call per sale
// CallbackId and one void call per refund CallbackId; the calls in flight
// at the kill were recovered by a query by CallbackId.
func checkP1Provider(t *testing.T, db *pgxpool.Pool, simURL, merchant string) {
	t.Helper()
	log := simRequests(t, simURL, "/processone")
	calls := map[string]int{} // CallbackId → calls that carry it (sales and voids)
	queries := 0
	for _, e := range log {
		var body struct {
			CallbackID string `json:"CallbackId"`
		}
		_ = json.Unmarshal([]byte(e.Body), &body)
		switch {
		case strings.EqualFold(e.Path, "/api/CreditCard/Charge"), strings.EqualFold(e.Path, "/api/CreditCard/Void"):
			calls[body.CallbackID]++
		case strings.Contains(strings.ToLower(e.Path), "callbackid"):
			queries++
		}
	}
	rows, err := db.Query(t.Context(), `SELECT id::text, type FROM transactions WHERE merchant_id = $1`, merchant)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, typ string
		if err := rows.Scan(&id, &typ); err != nil {
			t.Fatal(err)
		}
		cb := id + ":charge"
		if typ == events.TypeRefund {
			cb = id + ":void"
		}
		if calls[cb] != 1 {
			t.Errorf("%s %s: %d calls with CallbackId %s at the provider, want 1", typ, id, calls[cb], cb)
		}
		n++
	}
	if n != 2*p1CrashSales {
		t.Errorf("%d transactions, want %d", n, 2*p1CrashSales)
	}
	if queries < p1CrashInCalls {
		t.Errorf("%d queries by CallbackId, want at least %d (the calls in flight at the kill)", queries, p1CrashInCalls)
	}
	t.Logf("provider: %d calls, %d queries by CallbackId", len(calls), queries)
}

func simArm(t *testing.T, simURL, fault string) {
	t.Helper()
	resp, err := http.Post(simURL+"/processone/_sim/faults", "application/json", strings.NewReader(fault))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("arm %s: %s", fault, resp.Status)
	}
}

func simDisarmAt(t *testing.T, simURL, prefix string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, simURL+prefix+"/_sim/faults", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
}
