package main

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
)

// TestChargeLifecycle runs the same lifecycle suite over NATS and over HTTP.
func TestChargeLifecycle(t *testing.T) {
	for name, tr := range transports {
		t.Run(name, func(t *testing.T) {
			t.Run("authorized then confirmed", func(t *testing.T) { testConfirmed(t, tr) })
			t.Run("409 twice then confirmed", func(t *testing.T) { testConfirmConflicts(t, tr) })
			t.Run("timeout reversed by reference", func(t *testing.T) { testTimeoutReversed(t, tr) })
			t.Run("confirm deadline reversed", func(t *testing.T) { testDeadline(t, tr) })
			t.Run("declined keeps the ISO code", func(t *testing.T) { testDeclined(t, tr) })
			t.Run("reject by id and by reference", func(t *testing.T) { testReject(t, tr) })
			t.Run("same command three times", func(t *testing.T) { testRepeat(t, tr) })
		})
	}
}

func testConfirmed(t *testing.T, tr transport) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	id := tr.create(m, "create-1", chargeData("ref-1", "10.00"))
	tx := m.waitStatus(id, events.StatusAuthorized)
	if tx.PaymentMethod == nil || tx.PaymentMethod.Last4 != "1111" || tx.PaymentMethod.BIN != "411111" || tx.ConfirmBy == nil {
		t.Fatalf("authorized resource: %+v", tx)
	}
	tr.confirm(m, "confirm-1", id)
	tx = m.waitStatus(id, events.StatusConfirmed)
	if tx.Metadata["till"] != "7" || tx.ProviderReference == "" {
		t.Fatalf("confirmed resource: %+v", tx)
	}
	want := []string{"charge.pending", "charge.authorized", "charge.confirming", "charge.confirmed"}
	if got := m.eventTypes(id); !reflect.DeepEqual(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
	ev := m.waitEvent("charge.confirmed on NATS", func(ev events.Event) bool { return ev.Type == "charge.confirmed" && ev.Subject == id })
	if ev.Sequence != 4 || ev.CausationID != "confirm-1" || ev.MerchantID != m.id {
		t.Fatalf("confirmed event: %+v", ev)
	}
	assertNoCardData(t, e, id)
	assertMetrics(t, e)
}

// assertMetrics checks /metrics shows what just happened.
func assertMetrics(t *testing.T, e *env) {
	t.Helper()
	resp, err := http.Get(e.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`switchyard_commands_total{outcome="accepted"}`,
		`switchyard_provider_calls_total{op="confirm",outcome="ok",provider="onoconnect"}`,
		"switchyard_outbox_published_total", "switchyard_outbox_pending", "switchyard_outbox_lag_seconds_bucket{",
		`switchyard_provider_call_duration_seconds_bucket{operation="charge",outcome="ok",provider="onoconnect",le=`,
		`switchyard_command_first_event_seconds_bucket{type="charge.create",le=`,
		`switchyard_command_final_event_seconds_bucket{lifecycle="charge",le=`,
		`switchyard_transitions_total{lifecycle="charge",status="confirmed"}`,
		"go_goroutines "} {
		if !strings.Contains(string(b), want) {
			t.Errorf("/metrics lacks %s:\n%s", want, b)
		}
	}
}

// assertNoCardData checks that no table holds the card number or CVV in clear.
func assertNoCardData(t *testing.T, e *env, id string) {
	t.Helper()
	var n int
	err := e.node.store.Pool.QueryRow(t.Context(), `SELECT
		(SELECT count(*) FROM transactions WHERE details::text LIKE '%4111111111111111%' OR details::text LIKE '%"cvv"%')
	  + (SELECT count(*) FROM transaction_events WHERE envelope::text LIKE '%4111111111111111%')
	  + (SELECT count(*) FROM outbox WHERE convert_from(payload, 'UTF8') LIKE '%4111111111111111%')
	  + (SELECT count(*) FROM provider_calls WHERE exchanges::text LIKE '%4111111111111111%')`).Scan(&n)
	if err != nil || n != 0 {
		t.Fatalf("card data in clear in %d rows (%v)", n, err)
	}
	// Every provider call is recorded, redacted: the charge's shows the
	// request it sent, with the card number and CVV redacted.
	var calls int
	var charge string
	err = e.node.store.Pool.QueryRow(t.Context(), `SELECT count(*), coalesce(max(exchanges::text) FILTER (WHERE operation = 'charge'), '')
		FROM provider_calls WHERE transaction_id = $1`, id).Scan(&calls, &charge)
	if err != nil || calls == 0 || !strings.Contains(charge, `"card_number":"[redacted]"`) || !strings.Contains(charge, `"cvv":"[redacted]"`) {
		t.Fatalf("provider calls of %s: %d, charge exchange %s (%v)", id, calls, charge, err)
	}
}

func testConfirmConflicts(t *testing.T, tr transport) {
	e := newEnv(t)
	e.simConfig(`{"confirm_conflicts":2}`)
	m := e.newMerchant("15m")
	id := tr.create(m, "create-1", chargeData("ref-409", "12.00"))
	m.waitStatus(id, events.StatusAuthorized)
	tr.confirm(m, "confirm-1", id)
	m.waitStatus(id, events.StatusConfirmed)
	if n := e.sims.OnoConnect.Harness().Log().Count("POST", "/v2/charges/"+providerRef(t, m, id)+"/confirm"); n != 3 {
		t.Fatalf("confirm calls = %d, want 3 (two 409s, then OK)", n)
	}
}

func providerRef(t *testing.T, m *tenant, id string) string {
	var tx events.Transaction
	m.e.do("GET", "/v1/transactions/"+id, m.apiKey, "", "", &tx)
	return tx.ProviderReference
}

func testTimeoutReversed(t *testing.T, tr transport) {
	e := newEnv(t)
	e.simFault(`{"path":"/v2/charges","method":"POST","delay_ms":1500,"count":1}`)
	m := e.newMerchant("15m")
	id := tr.create(m, "create-1", chargeData("ref-timeout", "10.00"))
	tx := m.waitStatus(id, events.StatusReversed)
	if tx.Reason == nil || tx.Reason.Code != events.ReasonProviderTimeout {
		t.Fatalf("reason %+v", tx.Reason)
	}
	if n := e.sims.OnoConnect.ChargeCount("ref-timeout"); n != 1 {
		t.Fatalf("charge calls = %d, want exactly 1", n)
	}
	if s := e.sims.OnoConnect.Status("ref-timeout"); s != "rejected" {
		t.Fatalf("provider status %q, want rejected", s)
	}
	want := []string{"charge.pending", "charge.reversing", "charge.reversed"}
	if got := m.eventTypes(id); !reflect.DeepEqual(got, want) {
		t.Fatalf("history %v", got)
	}
}

func testDeadline(t *testing.T, tr transport) {
	e := newEnv(t)
	m := e.newMerchant("1s")
	id := tr.create(m, "create-1", chargeData("ref-deadline", "10.00"))
	m.waitStatus(id, events.StatusAuthorized)
	tx := m.waitStatus(id, events.StatusReversed)
	if tx.Reason == nil || tx.Reason.Code != events.ReasonConfirmDeadline {
		t.Fatalf("reason %+v", tx.Reason)
	}
	if s := e.sims.OnoConnect.Status("ref-deadline"); s != "rejected" {
		t.Fatalf("provider status %q", s)
	}
}

func testDeclined(t *testing.T, tr transport) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	id := tr.create(m, "create-1", chargeData("ref-decline", "10.51"))
	tx := m.waitStatus(id, events.StatusDeclined)
	if tx.Reason == nil || tx.Reason.ProviderCode != "51" || tx.Reason.Code != events.ReasonProviderDeclined {
		t.Fatalf("reason %+v", tx.Reason)
	}
}

func testReject(t *testing.T, tr transport) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	a := tr.create(m, "create-a", chargeData("ref-a", "10.00"))
	b := tr.create(m, "create-b", chargeData("ref-b", "11.00"))
	m.waitStatus(a, events.StatusAuthorized)
	m.waitStatus(b, events.StatusAuthorized)
	tr.reject(m, "reject-a", a)
	tr.rejectByReference(m, "reject-b", "ref-b")
	for _, id := range []string{a, b} {
		tx := m.waitStatus(id, events.StatusReversed)
		if tx.Reason == nil || tx.Reason.Code != events.ReasonMerchantRejected {
			t.Fatalf("reason %+v", tx.Reason)
		}
	}
	if e.sims.OnoConnect.Status("ref-a") != "rejected" || e.sims.OnoConnect.Status("ref-b") != "rejected" {
		t.Fatal("the provider did not reverse both")
	}
}

func testRepeat(t *testing.T, tr transport) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, tr.create(m, "create-same", chargeData("ref-same", "10.00")))
	}
	if ids[0] != ids[1] || ids[1] != ids[2] {
		t.Fatalf("three ids for one command: %v", ids)
	}
	m.waitStatus(ids[0], events.StatusAuthorized)
	if n := e.sims.OnoConnect.ChargeCount("ref-same"); n != 1 {
		t.Fatalf("provider charges = %d, want 1", n)
	}
	var n int
	_ = e.node.store.Pool.QueryRow(t.Context(), `SELECT count(*) FROM transactions`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d transactions, want 1", n)
	}
}

// TestNATSRedeliveredCommandHasOneEffect sends the same command id three
// times with different Nats-Msg-Ids, so that JetStream does not dedupe it:
// PostgreSQL must.
func TestNATSRedeliveredCommandHasOneEffect(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	for i := 0; i < 3; i++ {
		m.publish(events.ChargeCreate, "create-x", uuid.NewString(), chargeData("ref-x", "10.00"))
	}
	id := engine_TransactionID(m, "create-x")
	m.waitStatus(id, events.StatusAuthorized)
	if n := e.sims.OnoConnect.ChargeCount("ref-x"); n != 1 {
		t.Fatalf("provider charges = %d", n)
	}
	if got := m.eventTypes(id); len(got) != 2 {
		t.Fatalf("history %v", got)
	}
	// The same id with other data is a conflict.
	m.publish(events.ChargeCreate, "create-x", uuid.NewString(), chargeData("ref-x", "99.00"))
	ev := m.waitEvent("idempotency_conflict", func(ev events.Event) bool {
		return ev.Type == events.CommandRejected && ev.CausationID == "create-x"
	})
	if ev.Data.Reason.Code != events.ReasonIdempotencyConflict {
		t.Fatalf("reason %+v", ev.Data.Reason)
	}
}

func engine_TransactionID(m *tenant, cmdID string) string { return natsTransport{}.txnID(m, cmdID) }

func (natsTransport) txnID(m *tenant, cmdID string) string {
	return engineTxnID(m.id, cmdID)
}

// TestBadCommandsAreRejected sends each kind of bad input over NATS and
// checks one command.rejected naming the field, and the same over HTTP.
func TestBadCommandsAreRejected(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	good := `{"provider":"onoconnect","amount":"10.00","currency":"ZAR","reference":"r1","payment_method":{"type":"card"}}`
	cases := []struct {
		name, typ, body, field string
	}{
		{"malformed JSON", "charge.create", `{"specversion":"1.0","id":"bad-1",`, "envelope"},
		{"unknown type", "charge.explode", env1("bad-2", "charge.explode", good), "type"},
		{"type differs from subject", "charge.create", env1("bad-3", "charge.confirm", `{"transaction_id":"`+uuid.NewString()+`"}`), "type"},
		{"bad amount", "charge.create", env1("bad-4", "charge.create", strings.Replace(good, `"10.00"`, `"ten"`, 1)), "data.amount"},
		{"too many decimals", "charge.create", env1("bad-5", "charge.create", strings.Replace(good, `"10.00"`, `"10.001"`, 1)), "data.amount"},
		{"amount as number", "charge.create", env1("bad-6", "charge.create", strings.Replace(good, `"10.00"`, `10.00`, 1)), "data.amount"},
		{"bad currency", "charge.create", env1("bad-7", "charge.create", strings.Replace(good, `"ZAR"`, `"zar"`, 1)), "data.currency"},
		{"missing reference", "charge.create", env1("bad-8", "charge.create", strings.Replace(good, `"reference":"r1",`, ``, 1)), "data.reference"},
		{"missing payment method", "charge.create", env1("bad-9", "charge.create", strings.Replace(good, `,"payment_method":{"type":"card"}`, ``, 1)), "data.payment_method"},
		{"unknown field", "charge.create", env1("bad-10", "charge.create", strings.Replace(good, `"provider"`, `"provder":"x","provider"`, 1)), "data.provder"},
		{"missing id", "charge.create", `{"specversion":"1.0","source":"t","type":"charge.create","data":` + good + `}`, "id"},
		{"confirm of unknown charge", "charge.confirm", env1("bad-12", "charge.confirm", `{"transaction_id":"`+uuid.NewString()+`"}`), "data.transaction_id"},
		{"confirm without id", "charge.confirm", env1("bad-13", "charge.confirm", `{}`), "data.transaction_id"},
	}
	for i, c := range cases {
		m.publishRaw(c.typ, "msg-"+uuid.NewString(), []byte(c.body))
		ev := m.waitEvent(c.name, func(ev events.Event) bool {
			return ev.Type == events.CommandRejected && ev.Data.Reason != nil && ev.Data.Reason.Field == c.field &&
				rejectedIndex(m, ev) == i
		})
		if ev.Data.Reason.Message == "" {
			t.Errorf("%s: no message", c.name)
		}
	}
	var n int
	_ = e.node.store.Pool.QueryRow(t.Context(), `SELECT count(*) FROM transactions`).Scan(&n)
	if n != 0 {
		t.Fatalf("bad commands made %d transactions", n)
	}
	// Over HTTP: problem+json naming the field.
	var p map[string]any
	code := e.do("POST", "/v1/charges", m.apiKey, "http-bad", strings.Replace(good, `"10.00"`, `"-1"`, 1), &p)
	if code != http.StatusBadRequest || p["field"] != "amount" || p["code"] != "invalid_request" {
		t.Fatalf("HTTP bad amount: %d %v", code, p)
	}
	if code := e.do("POST", "/v1/charges", m.apiKey, "", good, &p); code != http.StatusBadRequest || p["field"] != "Idempotency-Key" {
		t.Fatalf("missing Idempotency-Key: %d %v", code, p)
	}
}

// rejectedIndex counts command.rejected events up to ev (so that each case
// matches its own answer, in order).
func rejectedIndex(m *tenant, ev events.Event) int {
	n := 0
	for _, e := range m.snapshot() {
		if e.ID == ev.ID {
			return n
		}
		if e.Type == events.CommandRejected {
			n++
		}
	}
	return -1
}

func env1(id, typ, data string) string {
	return `{"specversion":"1.0","id":"` + id + `","source":"test","type":"` + typ + `","datacontenttype":"application/json","data":` + data + `}`
}

// TestTenantIsolation: a merchant can never see or touch another's transaction.
func TestTenantIsolation(t *testing.T) {
	e := newEnv(t)
	a, b := e.newMerchant("15m"), e.newMerchant("15m")
	id := httpTransport{}.create(a, "create-1", chargeData("ref-iso", "10.00"))
	a.waitStatus(id, events.StatusAuthorized)
	var p map[string]any
	if code := e.do("GET", "/v1/transactions/"+id, b.apiKey, "", "", &p); code != http.StatusNotFound {
		t.Fatalf("B reads A's transaction: %d", code)
	}
	if code := e.do("GET", "/v1/transactions/"+id+"/events", b.apiKey, "", "", &p); code != http.StatusNotFound {
		t.Fatalf("B reads A's events: %d", code)
	}
	if code := e.do("POST", "/v1/charges/"+id+"/confirm", b.apiKey, "b-confirm", "", &p); code != http.StatusNotFound {
		t.Fatalf("B confirms A's charge: %d %v", code, p)
	}
	if code := e.do("POST", "/v1/charges/reject-by-reference", b.apiKey, "b-reject", `{"reference":"ref-iso"}`, &p); code != http.StatusNotFound {
		t.Fatalf("B rejects A's reference: %d %v", code, p)
	}
	b.publish(events.ChargeReject, "b-reject-nats", "b-reject-nats", map[string]any{"transaction_id": id})
	b.waitEvent("B's reject refused", func(ev events.Event) bool {
		return ev.Type == events.CommandRejected && ev.Data.Reason.Code == events.ReasonNotFound
	})
	if tx := a.waitStatus(id, events.StatusAuthorized); tx.Version != 2 {
		t.Fatalf("A's charge was touched: %+v", tx)
	}
	if code := e.do("GET", "/v1/transactions/"+id, "sk_wrong", "", "", &p); code != http.StatusUnauthorized {
		t.Fatalf("wrong key: %d", code)
	}
}

// TestHTTPIdempotency: a key reused with another body is 422; a repeat of a
// finished request returns the first answer.
func TestHTTPIdempotency(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	body := `{"provider":"onoconnect","amount":"10.00","currency":"ZAR","reference":"r-idem","payment_method":{"type":"card"}}`
	var first, again events.Transaction
	if code := e.do("POST", "/v1/charges", m.apiKey, "k1", body, &first); code != http.StatusAccepted {
		t.Fatal(code)
	}
	if code := e.do("POST", "/v1/charges", m.apiKey, "k1", body, &again); code != http.StatusAccepted || again.ID != first.ID {
		t.Fatalf("repeat: %d %s != %s", code, again.ID, first.ID)
	}
	var p map[string]any
	other := strings.Replace(body, "10.00", "11.00", 1)
	if code := e.do("POST", "/v1/charges", m.apiKey, "k1", other, &p); code != http.StatusUnprocessableEntity || p["code"] != events.ReasonIdempotencyConflict {
		t.Fatalf("conflict: %d %v", code, p)
	}
	if code := e.do("POST", "/v1/charges", m.apiKey, "k2", body, &p); code != http.StatusConflict || p["code"] != events.ReasonDuplicateReference {
		t.Fatalf("duplicate reference: %d %v", code, p)
	}
}

// TestUnknownMerchantIsAnswered: a command on a subject naming no merchant
// is answered with command.rejected (unauthorized), not dropped.
func TestUnknownMerchantIsAnswered(t *testing.T) {
	e := newEnv(t)
	ghost := &tenant{e: e, id: uuid.NewString()}
	sub, err := e.nc.SubscribeSync(events.MerchantEvents(ghost.id))
	if err != nil {
		t.Fatal(err)
	}
	ghost.publish(events.ChargeCreate, "ghost-1", "ghost-1", chargeData("ref-ghost", "10.00"))
	msg, err := sub.NextMsg(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var ev events.Event
	if err := json.Unmarshal(msg.Data, &ev); err != nil || ev.Type != events.CommandRejected ||
		ev.Data.Reason.Code != events.ReasonUnauthorized || ev.CausationID != "ghost-1" {
		t.Fatalf("answer: %s (%v)", msg.Data, err)
	}
}

// TestHTTPPreferWait: Prefer: wait=N answers once the charge has left its
// in-flight status, without polling.
func TestHTTPPreferWait(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	body := `{"provider":"onoconnect","amount":"10.00","currency":"ZAR","reference":"r-wait","payment_method":{"type":"card"}}`
	req, _ := http.NewRequest("POST", e.base+"/v1/charges", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+m.apiKey)
	req.Header.Set("Idempotency-Key", "wait-1")
	req.Header.Set("Prefer", "wait=10")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tx events.Transaction
	if err := json.NewDecoder(resp.Body).Decode(&tx); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	if tx.Status != events.StatusAuthorized || resp.Header.Get("Location") != "/v1/transactions/"+tx.ID {
		t.Fatalf("status %q, Location %q", tx.Status, resp.Header.Get("Location"))
	}
}
