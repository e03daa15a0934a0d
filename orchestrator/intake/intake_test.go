package intake_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/intake"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/outbox"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// env is one orchestrator without workers: a fresh database, an embedded
// JetStream, the engine, intake and the outbox relay (so that answers reach
// PAY_EVENTS), and one merchant.
type env struct {
	st       *store.Store
	js       jetstream.JetStream
	in       *intake.Intake
	merchant uuid.UUID
	// stopIntake stops intake (it also stops when the test ends).
	stopIntake func()
}

func setup(t *testing.T) *env {
	t.Helper()
	return setupOn(t, brokertest.Start(t))
}

// setupOn is setup on the JetStream server at natsURL.
func setupOn(t *testing.T, natsURL string) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, schematest.NewDB(t), 16)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	key := make([]byte, secret.KeySize)
	_, _ = rand.Read(key)
	sealer, err := secret.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	created, err := merchant.Create(ctx, st, sealer, merchant.Spec{Name: "Corner Shop", Providers: map[string]json.RawMessage{
		events.ProviderOnoConnect: json.RawMessage(`{"merchant_id":"` + uuid.NewString() + `","transaction_token":"tok"}`)}})
	if err != nil {
		t.Fatal(err)
	}
	_, js := brokertest.Connect(t, natsURL)
	e := &env{st: st, js: js, merchant: uuid.MustParse(created.ID)}
	eng := engine.New(engine.Config{Store: st, Sealer: sealer, Lifecycles: lifecycle.NewRegistry(charge.New(charge.Policy{}))})
	e.in = intake.New(intake.Config{Engine: eng, JetStream: js, Concurrency: 8})
	e.stopIntake = runUntilCleanup(t, "intake", e.in.Run)
	runUntilCleanup(t, "relay", outbox.New(outbox.Config{Store: st, JetStream: js, Poll: 50 * time.Millisecond}).Run)
	return e
}

func runUntilCleanup(t *testing.T, name string, run func(context.Context) error) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("%s Run: %v", name, err)
				}
			case <-time.After(15 * time.Second):
				t.Errorf("%s did not stop within 15s of its context ending", name)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// envelope is a command envelope with data marshalled from v.
func envelope(id, typ string, data any) []byte {
	raw, _ := json.Marshal(data)
	b, _ := json.Marshal(events.Command{SpecVersion: "1.0", ID: id, Source: "pos-17", Type: typ,
		DataContentType: "application/json", Data: raw})
	return b
}

// publish sends body on pay.cmd.<merchant>.<typ> with Nats-Msg-Id msgID.
func (e *env) publish(t *testing.T, typ, msgID string, body []byte) *jetstream.PubAck {
	t.Helper()
	m := &nats.Msg{Subject: events.CommandSubject(e.merchant.String(), typ), Data: body, Header: nats.Header{}}
	m.Header.Set(jetstream.MsgIDHeader, msgID)
	ack, err := e.js.PublishMsg(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	return ack
}

// drained waits until intake has handled want commands in all, every
// delivery is acknowledged, nothing was redelivered, and the relay has
// emptied the outbox.
func (e *env) drained(t *testing.T, want int64) {
	t.Helper()
	ctx := context.Background()
	var last string
	deadline := time.Now().Add(30 * time.Second)
	for {
		handled, _, dead := e.in.Stats()
		cons, err := e.js.Consumer(ctx, events.StreamCommands, intake.ConsumerName)
		var info *jetstream.ConsumerInfo
		if err == nil {
			info, err = cons.Info(ctx)
		}
		pending, perr := e.st.OutboxPending(ctx)
		if err == nil && perr == nil {
			last = fmt.Sprintf("handled %d of %d, dead %d, ack pending %d, not delivered %d, redelivered %d, outbox %d",
				handled, want, dead, info.NumAckPending, info.NumPending, info.NumRedelivered, pending)
			if handled >= want && info.NumAckPending == 0 && info.NumPending == 0 && pending == 0 {
				if handled != want || dead != 0 || info.NumRedelivered != 0 {
					t.Fatalf("drained, but: %s", last)
				}
				return
			}
		} else {
			last = fmt.Sprintf("consumer: %v, outbox: %v", err, perr)
		}
		if time.Now().After(deadline) {
			t.Fatalf("intake not drained within 30s: %s", last)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// streamEvent is an event read back from PAY_EVENTS.
type streamEvent struct {
	events.Event
	Subject string
	MsgID   string
}

// readEvents reads all of PAY_EVENTS in order.
func (e *env) readEvents(t *testing.T) []streamEvent {
	t.Helper()
	var out []streamEvent
	for _, m := range brokertest.ReadAll(t, e.js, events.StreamEvents) {
		ev := streamEvent{Subject: m.Subject(), MsgID: m.Headers().Get(jetstream.MsgIDHeader)}
		if err := json.Unmarshal(m.Data(), &ev.Event); err != nil {
			t.Fatalf("event on %s: %v", m.Subject(), err)
		}
		out = append(out, ev)
	}
	return out
}

// count runs a count(*) query.
func (e *env) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.st.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func chargeData(reference, amount string) map[string]any {
	return map[string]any{"provider": "onoconnect", "amount": amount, "currency": "ZAR", "reference": reference,
		"payment_method": map[string]any{"type": "card", "number": "4111111111111111", "expiry": "12/30"}}
}

// without returns d without key k.
func without(d map[string]any, k string) map[string]any {
	out := map[string]any{}
	for key, v := range d {
		if key != k {
			out[key] = v
		}
	}
	return out
}

// with returns d with k set to v.
func with(d map[string]any, k string, v any) map[string]any {
	out := without(d, k)
	out[k] = v
	return out
}

// TestIntakeRejectsInvalidCommands: each command that cannot be parsed or
// validated is answered by one command.rejected (invalid_request, naming the
// field) and acknowledged, never retried; sending it again has no second
// effect.
func TestIntakeRejectsInvalidCommands(t *testing.T) {
	t.Parallel()
	e := setup(t)
	good := chargeData("ref-ok", "10.50")
	envMap := func(id string, drop string) []byte {
		m := map[string]any{"specversion": "1.0", "id": id, "source": "pos-17", "type": "charge.create", "data": good}
		delete(m, drop)
		b, _ := json.Marshal(m)
		return b
	}
	tests := []struct {
		name  string
		typ   string // subject's command type
		body  func(id string) []byte
		field string // reason.field expected
		// idInBody: the envelope carries the command id (else it is taken
		// from Nats-Msg-Id), so a re-send with another Nats-Msg-Id is the
		// same command.
		idInBody bool
	}{
		{name: "malformed JSON", typ: events.ChargeCreate, field: "envelope",
			body: func(id string) []byte { return []byte(`{"specversion":"1.0","id":"` + id + `","data":{`) }},
		{name: "trailing data", typ: events.ChargeCreate, field: "envelope",
			body: func(id string) []byte { return append(envelope(id, events.ChargeCreate, good), `{}`...) }},
		{name: "missing id", typ: events.ChargeCreate, field: "id",
			body: func(id string) []byte { return envMap(id, "id") }},
		{name: "missing source", typ: events.ChargeCreate, field: "source", idInBody: true,
			body: func(id string) []byte { return envMap(id, "source") }},
		{name: "missing data", typ: events.ChargeCreate, field: "data", idInBody: true,
			body: func(id string) []byte { return envMap(id, "data") }},
		{name: "unknown type", typ: "charge.explode", field: "type", idInBody: true,
			body: func(id string) []byte { return envelope(id, "charge.explode", good) }},
		{name: "type mismatch with subject", typ: events.ChargeCreate, field: "type", idInBody: true,
			body: func(id string) []byte { return envelope(id, events.ChargeConfirm, good) }},
		{name: "bad amount: too many places", typ: events.ChargeCreate, field: "data.amount", idInBody: true,
			body: func(id string) []byte { return envelope(id, events.ChargeCreate, with(good, "amount", "10.505")) }},
		{name: "bad amount: negative", typ: events.ChargeCreate, field: "data.amount", idInBody: true,
			body: func(id string) []byte { return envelope(id, events.ChargeCreate, with(good, "amount", "-1.00")) }},
		{name: "bad amount: a JSON number", typ: events.ChargeCreate, field: "data.amount", idInBody: true,
			body: func(id string) []byte { return envelope(id, events.ChargeCreate, with(good, "amount", 10.5)) }},
		{name: "bad currency: lower case", typ: events.ChargeCreate, field: "data.currency", idInBody: true,
			body: func(id string) []byte { return envelope(id, events.ChargeCreate, with(good, "currency", "zar")) }},
		{name: "bad currency: unknown", typ: events.ChargeCreate, field: "data.currency", idInBody: true,
			body: func(id string) []byte { return envelope(id, events.ChargeCreate, with(good, "currency", "XXX")) }},
		{name: "missing reference", typ: events.ChargeCreate, field: "data.reference", idInBody: true,
			body: func(id string) []byte { return envelope(id, events.ChargeCreate, without(good, "reference")) }},
		{name: "missing payment method", typ: events.ChargeCreate, field: "data.payment_method", idInBody: true,
			body: func(id string) []byte { return envelope(id, events.ChargeCreate, without(good, "payment_method")) }},
		{name: "unknown field", typ: events.ChargeCreate, field: "data.amout", idInBody: true,
			body: func(id string) []byte { return envelope(id, events.ChargeCreate, with(good, "amout", "1.00")) }},
	}
	for i, tt := range tests {
		e.publish(t, tt.typ, fmt.Sprintf("bad-%d", i), tt.body(fmt.Sprintf("bad-%d", i)))
	}
	e.drained(t, int64(len(tests)))

	got := e.readEvents(t)
	byCause := map[string][]streamEvent{}
	for _, ev := range got {
		byCause[ev.CausationID] = append(byCause[ev.CausationID], ev)
	}
	for i, tt := range tests {
		id := fmt.Sprintf("bad-%d", i)
		evs := byCause[id]
		if len(evs) != 1 {
			t.Errorf("%s: %d events caused by %s, want 1 command.rejected", tt.name, len(evs), id)
			continue
		}
		ev := evs[0]
		switch {
		case ev.Type != events.CommandRejected || ev.Subject != events.EventSubject(e.merchant.String(), events.CommandRejected):
			t.Errorf("%s: event %s on %s, want command.rejected", tt.name, ev.Type, ev.Subject)
		case ev.Data.Reason == nil || ev.Data.Reason.Code != events.ReasonInvalidRequest || ev.Data.Reason.Field != tt.field:
			t.Errorf("%s: reason %+v, want invalid_request on %q", tt.name, ev.Data.Reason, tt.field)
		case ev.MsgID != ev.ID || ev.MerchantID != e.merchant.String():
			t.Errorf("%s: Nats-Msg-Id %s, id %s, merchant %s", tt.name, ev.MsgID, ev.ID, ev.MerchantID)
		}
	}
	if len(got) != len(tests) {
		t.Errorf("PAY_EVENTS holds %d events, want %d", len(got), len(tests))
	}
	if n := e.count(t, `SELECT count(*) FROM commands WHERE merchant_id = $1 AND outcome = 'rejected'`, e.merchant); n != len(tests) {
		t.Errorf("%d rejected command records, want %d", n, len(tests))
	}
	if n := e.count(t, `SELECT count(*) FROM transactions`); n != 0 {
		t.Errorf("%d transactions made by invalid commands", n)
	}

	// The same commands again (another Nats-Msg-Id, so the stream lets them
	// through): each is answered from its record, with no new event.
	resent := 0
	for i, tt := range tests {
		if tt.idInBody {
			id := fmt.Sprintf("bad-%d", i)
			e.publish(t, tt.typ, id+"/again", tt.body(id))
			resent++
		}
	}
	e.drained(t, int64(len(tests)+resent))
	if again := e.readEvents(t); len(again) != len(got) {
		t.Errorf("re-sent rejected commands: PAY_EVENTS holds %d events, want still %d", len(again), len(got))
	}
}

// TestIntakeDuplicateCommands: the same charge.create three times at once
// (same id and data, distinct Nats-Msg-Ids so that the stream does not
// dedupe them) makes one transaction and one charge.pending; a later
// redelivery of the committed command changes nothing.
func TestIntakeDuplicateCommands(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const id = "order-1001"
	body := envelope(id, events.ChargeCreate, chargeData("ref-1001", "25.00"))
	for i := range 3 {
		e.publish(t, events.ChargeCreate, fmt.Sprintf("%s#%d", id, i), body)
	}
	// With Nats-Msg-Id = id, as the contract says, a repeat never reaches
	// intake: the stream drops it.
	if ack := e.publish(t, events.ChargeCreate, id+"#0", body); !ack.Duplicate {
		t.Errorf("a repeat with the same Nats-Msg-Id was stored again (PubAck.Duplicate false)")
	}
	e.drained(t, 3)

	txnID := engine.TransactionID(e.merchant, id)
	check := func(phase string) {
		t.Helper()
		if n := e.count(t, `SELECT count(*) FROM transactions WHERE merchant_id = $1`, e.merchant); n != 1 {
			t.Errorf("%s: %d transactions, want 1", phase, n)
		}
		if n := e.count(t, `SELECT count(*) FROM commands WHERE merchant_id = $1`, e.merchant); n != 1 {
			t.Errorf("%s: %d command records, want 1", phase, n)
		}
		if n := e.count(t, `SELECT count(*) FROM transaction_events WHERE transaction_id = $1`, txnID); n != 1 {
			t.Errorf("%s: %d history rows, want 1", phase, n)
		}
		got := e.readEvents(t)
		if len(got) != 1 {
			t.Fatalf("%s: PAY_EVENTS holds %d events (%+v), want one charge.pending", phase, len(got), got)
		}
		ev := got[0]
		if ev.Type != "charge.pending" || ev.Event.Subject != txnID.String() || ev.Sequence != 1 || ev.CausationID != id {
			t.Errorf("%s: event %s subject %s sequence %d causation %s; want charge.pending of %s, 1, %s",
				phase, ev.Type, ev.Event.Subject, ev.Sequence, ev.CausationID, txnID, id)
		}
		if n := e.count(t, `SELECT count(*) FROM work_items WHERE transaction_id = $1 AND operation = 'charge'`, txnID); n != 1 {
			t.Errorf("%s: %d charge work items, want 1", phase, n)
		}
	}
	check("three at once")

	// A redelivery of the committed command: no second effect.
	e.publish(t, events.ChargeCreate, id+"#redelivered", body)
	e.drained(t, 4)
	check("after a redelivery")
}

// TestIntakeIdempotencyConflict: the same id with other data is answered
// with command.rejected idempotency_conflict and leaves the first
// transaction as it was.
func TestIntakeIdempotencyConflict(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	const id = "order-2002"
	e.publish(t, events.ChargeCreate, id, envelope(id, events.ChargeCreate, chargeData("ref-2002", "25.00")))
	e.drained(t, 1)
	// Another Nats-Msg-Id: with the same one the stream would drop it
	// before intake saw it.
	e.publish(t, events.ChargeCreate, id+"/other", envelope(id, events.ChargeCreate, chargeData("ref-2002", "99.00")))
	e.drained(t, 2)

	got := e.readEvents(t)
	var rejected []streamEvent
	for _, ev := range got {
		if ev.Type == events.CommandRejected {
			rejected = append(rejected, ev)
		}
	}
	if len(got) != 2 || len(rejected) != 1 {
		t.Fatalf("PAY_EVENTS holds %+v; want charge.pending and one command.rejected", got)
	}
	r := rejected[0]
	if r.Data.Reason == nil || r.Data.Reason.Code != events.ReasonIdempotencyConflict || r.Data.Reason.Field != "id" || r.CausationID != id {
		t.Errorf("rejection %+v caused by %s; want idempotency_conflict on \"id\" caused by %s", r.Data.Reason, r.CausationID, id)
	}
	txn, err := e.st.TransactionGet(ctx, e.merchant, engine.TransactionID(e.merchant, id))
	if err != nil {
		t.Fatal(err)
	}
	if txn.Amount.String() != "25" || txn.Version != 1 {
		t.Errorf("transaction amount %s version %d after the conflict, want 25 at version 1", txn.Amount, txn.Version)
	}
	if n := e.count(t, `SELECT count(*) FROM transactions WHERE merchant_id = $1`, e.merchant); n != 1 {
		t.Errorf("%d transactions, want 1", n)
	}
}
