package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/simhost"
)

// The merchant's trace: trace id traceX, its span spanX.
const (
	traceX      = "4bf92f3577b34da6a3ce929d0e0e4736"
	spanX       = "00f067aa0ba902b7"
	traceParent = "00-" + traceX + "-" + spanX + "-01"
)

// jsonLines are the JSON log lines written to s so far (syncBuffer:
// crash_test.go).
func (s *syncBuffer) jsonLines() []map[string]any {
	var out []map[string]any
	for _, l := range strings.Split(s.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// headerTap records the traceparent of every request passed on to next.
type headerTap struct {
	mu   sync.Mutex
	seen []string
}

func (h *headerTap) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.seen = append(h.seen, r.URL.Path+" "+r.Header.Get("traceparent"))
		h.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (h *headerTap) all() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.seen...)
}

// traced is an env whose spans are recorded, whose logs are JSON lines in
// a buffer, and whose ono//connect simulator is behind a headerTap.
type traced struct {
	*env
	spans    *tracetest.SpanRecorder
	logs     *syncBuffer
	provider *headerTap
}

func newTraced(t *testing.T) *traced {
	tr := &traced{spans: tracetest.NewSpanRecorder(), logs: &syncBuffer{}, provider: &headerTap{}}
	sim := httptest.NewServer(tr.provider.wrap(simhost.New().Handler()))
	t.Cleanup(sim.Close)
	tr.env = newEnvWith(t, allRoles, func(c *nodeConfig) {
		c.WebhookAllowPrivate = true
		c.SpanProcessors = []sdktrace.SpanProcessor{tr.spans}
		c.Log = newLoggerTo(io.MultiWriter(tr.logs, testLogOut()), "debug", "json")
		c.OnoConnectURL = sim.URL + simhost.OnoConnect
	})
	return tr
}

// span waits for an ended span of trace traceID whose name starts with name.
func (tr *traced) span(traceID, name string) sdktrace.ReadOnlySpan {
	tr.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, s := range tr.spans.Ended() {
			if s.SpanContext().TraceID().String() == traceID && strings.HasPrefix(s.Name(), name) {
				return s
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	var names []string
	for _, s := range tr.spans.Ended() {
		names = append(names, s.Name()+"@"+s.SpanContext().TraceID().String())
	}
	tr.t.Fatalf("no span %q in trace %s; ended: %v", name, traceID, names)
	return nil
}

// childOf checks that child's parent is the span parentID.
func childOf(t *testing.T, child sdktrace.ReadOnlySpan, parentID string) {
	t.Helper()
	if got := child.Parent().SpanID().String(); got != parentID {
		t.Errorf("span %q: parent %s, want %s", child.Name(), got, parentID)
	}
}

// logLine waits for a log line with message msg, trace_id traceID and
// transaction id.
func (tr *traced) logLine(msg, traceID, id string) {
	tr.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range tr.logs.jsonLines() {
			if l["msg"] == msg && l["trace_id"] == traceID && l["transaction"] == id {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	tr.t.Errorf("no log line %q with trace_id %s and transaction %s", msg, traceID, id)
}

// eventsOf is the stored history of transaction id.
func (m *tenant) eventsOf(id string) []map[string]any {
	m.e.t.Helper()
	var out struct{ Data []map[string]any }
	if code := m.e.do("GET", "/v1/transactions/"+id+"/events", m.apiKey, "", "", &out); code != http.StatusOK {
		m.e.t.Fatalf("events: %d", code)
	}
	return out.Data
}

// TestTraceHTTPToWebhook: a charge created over HTTP with the merchant's
// traceparent is one trace from the request to the webhook: spans HTTP →
// intake → provider call, each the child of the one before; the events,
// the provider request and the webhook POST carry it; the JSON log lines of
// the provider call and the webhook attempt have its trace id and the
// transaction id. Nothing is exported (no --otlp-endpoint).
func TestTraceHTTPToWebhook(t *testing.T) {
	tr := newTraced(t)
	if tr.node.tracing.Exporting {
		t.Fatal("spans are exported without --otlp-endpoint")
	}
	m := tr.newMerchant("15m")
	hook := newReceiver(t, nil)
	m.webhookEndpoint(hook.srv.URL+"/hooks", "charge.*")

	body, _ := json.Marshal(chargeData("traced-1", "10.00"))
	req, _ := http.NewRequest("POST", tr.base+"/v1/charges", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+m.apiKey)
	req.Header.Set("Idempotency-Key", "traced-1")
	req.Header.Set("traceparent", traceParent)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created events.Transaction
	_ = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /v1/charges: %d", resp.StatusCode)
	}
	id := created.ID
	m.waitStatus(id, events.StatusAuthorized)

	// (a) spans, each the child of the one before.
	httpSpan := tr.span(traceX, "HTTP POST /v1/charges")
	childOf(t, httpSpan, spanX)
	intakeSpan := tr.span(traceX, "intake "+events.ChargeCreate)
	childOf(t, intakeSpan, httpSpan.SpanContext().SpanID().String())
	callSpan := tr.span(traceX, "provider onoconnect ")
	childOf(t, callSpan, intakeSpan.SpanContext().SpanID().String())

	// (b) every stored event carries the trace.
	evs := m.eventsOf(id)
	if len(evs) < 2 {
		t.Fatalf("%d events", len(evs))
	}
	for _, ev := range evs {
		if tp, _ := ev["traceparent"].(string); !strings.Contains(tp, traceX) {
			t.Errorf("event %v has traceparent %q", ev["type"], tp)
		}
	}

	// (c) the provider request carries it.
	var calls int
	for _, s := range tr.provider.all() {
		if strings.Contains(s, "/_sim/") {
			continue
		}
		calls++
		if !strings.Contains(s, traceX) {
			t.Errorf("provider request without the trace: %q", s)
		}
	}
	if calls == 0 {
		t.Error("the provider got no request")
	}

	// (d) the webhook POSTs carry it, from an attempt span of the trace.
	waitCond(t, 20*time.Second, "charge.authorized delivered", func() bool {
		for _, r := range hook.all() {
			if strings.Contains(string(r.body), "charge.authorized") {
				return true
			}
		}
		return false
	})
	for _, r := range hook.all() {
		if !strings.Contains(r.header.Get("traceparent"), traceX) {
			t.Errorf("webhook POST with traceparent %q", r.header.Get("traceparent"))
		}
	}
	tr.span(traceX, "webhook "+"charge.authorized")

	// (e) JSON log lines with the trace id and the transaction id.
	tr.logLine("provider call", traceX, id)
	tr.logLine("webhook attempt", traceX, id)
}

// TestTraceNATSCommand: a command published over NATS with a traceparent
// header continues that trace: intake's span is its child, the provider
// call's is intake's, and the events carry it.
func TestTraceNATSCommand(t *testing.T) {
	tr := newTraced(t)
	m := tr.newMerchant("15m")
	raw, _ := json.Marshal(chargeData("traced-nats", "10.00"))
	b, _ := json.Marshal(events.Command{SpecVersion: "1.0", ID: "traced-nats", Source: "test",
		Type: events.ChargeCreate, DataContentType: "application/json", Data: raw})
	msg := &nats.Msg{Subject: events.CommandSubject(m.id, events.ChargeCreate), Data: b, Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, "traced-nats")
	msg.Header.Set("traceparent", traceParent)
	id := engineTxnID(m.id, "traced-nats")
	seen := &headerTap{}
	sub, err := tr.nc.Subscribe(events.MerchantEvents(m.id), func(msg *nats.Msg) {
		var ev events.Event
		if json.Unmarshal(msg.Data, &ev) == nil && ev.Subject == id {
			seen.mu.Lock()
			seen.seen = append(seen.seen, ev.Type+" "+msg.Header.Get("traceparent"))
			seen.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	if _, err := tr.js.PublishMsg(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	m.waitStatus(id, events.StatusAuthorized)
	intakeSpan := tr.span(traceX, "intake "+events.ChargeCreate)
	childOf(t, intakeSpan, spanX)
	childOf(t, tr.span(traceX, "provider onoconnect "), intakeSpan.SpanContext().SpanID().String())
	for _, ev := range m.eventsOf(id) {
		if tp, _ := ev["traceparent"].(string); !strings.Contains(tp, traceX) {
			t.Errorf("event %v has traceparent %q", ev["type"], tp)
		}
	}
	// The relay publishes each event with its traceparent as a header.
	waitCond(t, 10*time.Second, "charge.authorized on NATS with a traceparent header", func() bool {
		for _, h := range seen.all() {
			if strings.HasPrefix(h, "charge.authorized ") {
				if !strings.Contains(h, traceX) {
					t.Fatalf("NATS event header: %q", h)
				}
				return true
			}
		}
		return false
	})
}

// TestTraceOTLPExport: with --otlp-endpoint on an OTLP/HTTP receiver, the
// spans of a charge arrive there (POST /v1/traces).
func TestTraceOTLPExport(t *testing.T) {
	var mu sync.Mutex
	var posts []string
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		posts = append(posts, r.Method+" "+r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	t.Cleanup(rcv.Close)
	e := newEnvWith(t, allRoles, func(c *nodeConfig) { c.OTLPEndpoint = rcv.URL })
	if !e.node.tracing.Exporting {
		t.Fatal("not exporting with --otlp-endpoint")
	}
	m := e.newMerchant("15m")
	id := httpTransport{}.create(m, "otlp-1", chargeData("otlp-1", "10.00"))
	m.waitStatus(id, events.StatusAuthorized)
	waitCond(t, 20*time.Second, "spans at the OTLP receiver", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(posts) > 0
	})
	mu.Lock()
	defer mu.Unlock()
	if posts[0] != "POST /v1/traces" {
		t.Errorf("the receiver got %v", posts)
	}
}
