package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
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
	"github.com/switchyard/switchyard/schema/schematest"
	"github.com/switchyard/switchyard/workers/simhost"
)

// env is one orchestrator with its own database, JetStream and simulators.
type env struct {
	t      testing.TB
	cfg    nodeConfig
	node   *node
	sims   *simhost.Host
	simURL string
	nc     *nats.Conn
	js     jetstream.JetStream
	base   string
}

func newEnv(t testing.TB) *env { return newEnvRoles(t, allRoles) }

// newEnvRoles starts an orchestrator running only roles.
func newEnvRoles(t testing.TB, roles []string) *env { return newEnvWith(t, roles, nil) }

// newEnvWith starts an orchestrator running only roles, its configuration
// changed by mutate (when not nil).
func newEnvWith(t testing.TB, roles []string, mutate func(*nodeConfig)) *env {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	if mutate == nil {
		return newEnvOn(t, roles, brokertest.Start(t))
	}
	return newEnvOn(t, roles, brokertest.Start(t), mutate)
}

// newEnvOn starts an orchestrator running roles on the NATS at natsURL,
// its configuration changed by opts.
func newEnvOn(t testing.TB, roles []string, natsURL string, opts ...func(*nodeConfig)) *env {
	t.Helper()
	db := schematest.NewDB(t)
	sims := simhost.New()
	srv := httptest.NewServer(sims.Handler())
	t.Cleanup(srv.Close)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	cfg := nodeConfig{
		DatabaseURL: db, NATSURL: natsURL, HTTPAddr: "127.0.0.1:0", AdminToken: "admin-token", SecretKey: key,
		Roles: roles, OnoConnectURL: srv.URL + simhost.OnoConnect, ProcessOneURL: srv.URL + simhost.ProcessOne,
		OnePipeURL: srv.URL + simhost.OnePipe, UtilityURL: srv.URL + simhost.Utility, CodesURL: srv.URL + simhost.Codes,
		ProviderTimeout: 300 * time.Millisecond,
		Policy: charge.Policy{RetryInitial: 50 * time.Millisecond, RetryMax: 200 * time.Millisecond,
			AbsenceDelays: []time.Duration{50 * time.Millisecond, 100 * time.Millisecond}},
		Log: slog.New(slog.NewTextHandler(testLogOut(), &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(&cfg)
	}
	n, err := startNode(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.stop)
	nc, js := brokertest.Connect(t, natsURL)
	return &env{t: t, node: n, sims: sims, simURL: srv.URL, nc: nc, js: js, base: "http://" + n.httpAddr, cfg: cfg}
}

// tenant is a merchant of the env with a stream of its events.
type tenant struct {
	e      *env
	id     string
	apiKey string
	mu     sync.Mutex
	events []events.Event
}

func (e *env) newMerchant(confirmDeadline string) *tenant {
	e.t.Helper()
	return e.newMerchantBody(fmt.Sprintf(`{"name":"Shop","confirm_deadline":%q,"providers":{"onoconnect":{"merchant_id":%q,"transaction_token":"tok"}}}`,
		confirmDeadline, uuid.NewString()))
}

// newMerchantBody creates a merchant from an admin API body.
func (e *env) newMerchantBody(body string) *tenant {
	e.t.Helper()
	var created struct{ ID, APIKey string }
	var raw map[string]any
	status := e.do("POST", "/v1/admin/merchants", "admin-token", "", body, &raw)
	if status != http.StatusCreated {
		e.t.Fatalf("create merchant: %d %v", status, raw)
	}
	created.ID, created.APIKey = raw["id"].(string), raw["api_key"].(string)
	m := &tenant{e: e, id: created.ID, apiKey: created.APIKey}
	sub, err := e.nc.Subscribe(events.MerchantEvents(m.id), func(msg *nats.Msg) {
		var ev events.Event
		if json.Unmarshal(msg.Data, &ev) == nil {
			m.mu.Lock()
			m.events = append(m.events, ev)
			m.mu.Unlock()
		}
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = sub.Unsubscribe() })
	return m
}

// do sends an HTTP request and decodes the JSON answer into out.
func (e *env) do(method, path, token, idemKey, body string, out any) int {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.base+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	return resp.StatusCode
}

// publish sends a command envelope over NATS with Nats-Msg-Id = msgID.
func (m *tenant) publish(typ, id, msgID string, data any) {
	m.e.t.Helper()
	raw, _ := json.Marshal(data)
	b, _ := json.Marshal(events.Command{SpecVersion: "1.0", ID: id, Source: "test", Type: typ,
		DataContentType: "application/json", Data: raw})
	m.publishRaw(typ, msgID, b)
}

func (m *tenant) publishRaw(typ, msgID string, body []byte) {
	m.e.t.Helper()
	msg := &nats.Msg{Subject: events.CommandSubject(m.id, typ), Data: body, Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, msgID)
	if _, err := m.e.js.PublishMsg(m.e.t.Context(), msg); err != nil {
		m.e.t.Fatal(err)
	}
}

// waitStatus polls the transaction over HTTP until it has status.
func (m *tenant) waitStatus(id, status string) events.Transaction {
	m.e.t.Helper()
	return m.waitStatusWithin(id, status, 15*time.Second)
}

// waitStatusWithin is waitStatus with its own deadline.
func (m *tenant) waitStatusWithin(id, status string, d time.Duration) events.Transaction {
	m.e.t.Helper()
	deadline := time.Now().Add(d)
	var tx events.Transaction
	for time.Now().Before(deadline) {
		var raw json.RawMessage
		code := m.e.do("GET", "/v1/transactions/"+id, m.apiKey, "", "", &raw)
		if code == http.StatusOK {
			_ = json.Unmarshal(raw, &tx)
		}
		if code == http.StatusOK && tx.Status == status {
			return tx
		}
		time.Sleep(20 * time.Millisecond)
	}
	m.e.t.Fatalf("transaction %s: status %q, want %q (reason %+v)", id, tx.Status, status, tx.Reason)
	return tx
}

// waitEvent waits for an event of this merchant matching pred.
func (m *tenant) waitEvent(what string, pred func(events.Event) bool) events.Event {
	m.e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, ev := range m.snapshot() {
			if pred(ev) {
				return ev
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	m.e.t.Fatalf("no event: %s", what)
	return events.Event{}
}

func (m *tenant) snapshot() []events.Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]events.Event(nil), m.events...)
}

// eventTypes lists the stored history of a transaction, checking sequences.
func (m *tenant) eventTypes(id string) []string {
	m.e.t.Helper()
	var out struct{ Data []events.Event }
	if code := m.e.do("GET", "/v1/transactions/"+id+"/events", m.apiKey, "", "", &out); code != 200 {
		m.e.t.Fatalf("events: %d", code)
	}
	var types []string
	for i, ev := range out.Data {
		if ev.Sequence != i+1 {
			m.e.t.Fatalf("event %d has sequence %d", i, ev.Sequence)
		}
		types = append(types, ev.Type)
	}
	return types
}

func chargeData(ref, amount string) map[string]any {
	return map[string]any{"provider": "onoconnect", "amount": amount, "currency": "ZAR", "reference": ref,
		"payment_method": map[string]any{"type": "card", "card_number": "4111111111111111", "cvv": "123"},
		"metadata":       map[string]string{"till": "7"}}
}

// transport sends charge commands over NATS or over HTTP.
type transport interface {
	create(m *tenant, cmdID string, data map[string]any) string
	confirm(m *tenant, cmdID, txnID string)
	reject(m *tenant, cmdID, txnID string)
	rejectByReference(m *tenant, cmdID, ref string)
}

type natsTransport struct{}

func (natsTransport) create(m *tenant, cmdID string, data map[string]any) string {
	m.publish(events.ChargeCreate, cmdID, cmdID, data)
	mid := uuid.MustParse(m.id)
	return engine.TransactionID(mid, cmdID).String()
}
func (natsTransport) confirm(m *tenant, cmdID, txnID string) {
	m.publish(events.ChargeConfirm, cmdID, cmdID, map[string]any{"transaction_id": txnID})
}
func (natsTransport) reject(m *tenant, cmdID, txnID string) {
	m.publish(events.ChargeReject, cmdID, cmdID, map[string]any{"transaction_id": txnID})
}
func (natsTransport) rejectByReference(m *tenant, cmdID, ref string) {
	m.publish(events.ChargeReject, cmdID, cmdID, map[string]any{"reference": ref})
}

type httpTransport struct{}

func (httpTransport) create(m *tenant, cmdID string, data map[string]any) string {
	b, _ := json.Marshal(data)
	var tx events.Transaction
	if code := m.e.do("POST", "/v1/charges", m.apiKey, cmdID, string(b), &tx); code != http.StatusAccepted {
		m.e.t.Fatalf("POST /v1/charges: %d %+v", code, tx)
	}
	return tx.ID
}
func (httpTransport) confirm(m *tenant, cmdID, txnID string) {
	httpPost(m, "/v1/charges/"+txnID+"/confirm", cmdID, "")
}
func (httpTransport) reject(m *tenant, cmdID, txnID string) {
	httpPost(m, "/v1/charges/"+txnID+"/reject", cmdID, "")
}
func (httpTransport) rejectByReference(m *tenant, cmdID, ref string) {
	httpPost(m, "/v1/charges/reject-by-reference", cmdID, fmt.Sprintf(`{"reference":%q}`, ref))
}

func httpPost(m *tenant, path, key, body string) {
	m.e.t.Helper()
	var out map[string]any
	if code := m.e.do("POST", path, m.apiKey, key, body, &out); code != http.StatusAccepted {
		m.e.t.Fatalf("POST %s: %d %v", path, code, out)
	}
}

var transports = map[string]transport{"nats": natsTransport{}, "http": httpTransport{}}

func (e *env) simConfig(body string) {
	e.t.Helper()
	resp, err := http.Post(e.simURL+simhost.OnoConnect+"/_sim/config", "application/json", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		e.t.Fatalf("sim config: %d", resp.StatusCode)
	}
}

func (e *env) simFault(body string) {
	e.t.Helper()
	resp, err := http.Post(e.simURL+simhost.OnoConnect+"/_sim/faults", "application/json", bytes.NewReader([]byte(body)))
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
}

func engineTxnID(merchantID, cmdID string) string {
	return engine.TransactionID(uuid.MustParse(merchantID), cmdID).String()
}

func testLogOut() io.Writer {
	if os.Getenv("SWITCHYARD_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}
