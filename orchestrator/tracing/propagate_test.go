package tracing_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
	"go.opentelemetry.io/otel/trace"

	"github.com/switchyard/switchyard/orchestrator/tracing"
)

const (
	tp      = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
)

func TestNATSHeaders(t *testing.T) {
	for _, key := range []string{"traceparent", "Traceparent"} {
		h := nats.Header{}
		h.Set(key, tp)
		ctx := tracing.ExtractNATS(context.Background(), h)
		if got := tracing.TraceParent(ctx); got != tp {
			t.Fatalf("%s: extracted %q, want %q", key, got, tp)
		}
		out := nats.Header{}
		tracing.InjectNATS(ctx, out)
		if got := out.Get("traceparent"); got != tp {
			t.Fatalf("injected traceparent %q (headers %v)", got, out)
		}
	}
	if ctx := tracing.ExtractNATS(context.Background(), nil); tracing.TraceParent(ctx) != "" {
		t.Fatal("no headers gave a span")
	}
}

func TestHTTPHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("traceparent", tp)
	h.Set("tracestate", "vendor=x")
	ctx := tracing.ExtractHTTP(context.Background(), h)
	out := http.Header{}
	tracing.InjectHTTP(ctx, out)
	if out.Get("traceparent") != tp || out.Get("tracestate") != "vendor=x" {
		t.Fatalf("injected %v", out)
	}
	bad := http.Header{}
	bad.Set("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")
	if got := tracing.TraceParent(tracing.ExtractHTTP(context.Background(), bad)); got != "" {
		t.Fatalf("an all-zero trace id was taken: %q", got)
	}
}

func TestTraceParentRoundTrip(t *testing.T) {
	ctx := tracing.WithTraceParent(context.Background(), tp)
	if got := tracing.TraceParent(ctx); got != tp {
		t.Fatalf("TraceParent = %q, want %q", got, tp)
	}
	for _, bad := range []string{"", "garbage", strings.Replace(tp, "-01", "-zz", 1)} {
		if got := tracing.TraceParent(tracing.WithTraceParent(context.Background(), bad)); got != "" {
			t.Fatalf("WithTraceParent(%q) gave %q", bad, got)
		}
	}
}

func TestFromEnvelope(t *testing.T) {
	for _, tc := range []struct {
		name, payload, want string
	}{
		{"envelope's", `{"id":"e1","traceparent":"` + tp + `","data":{"transaction":{"metadata":{}}}}`, tp},
		{"none", `{"id":"e1","data":{}}`, ""},
		{"only in metadata", `{"id":"e1","data":{"transaction":{"metadata":{"traceparent":"` + tp + `"}}}}`, ""},
		{"quoted in a value", `{"id":"x\"traceparent\":\"` + tp + `","data":{}}`, ""},
		{"too short", `{"traceparent":"00-abc","data":{}}`, ""},
		{"truncated", `{"traceparent":"` + tp[:40], ""},
	} {
		if got := tracing.FromEnvelope([]byte(tc.payload)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestLogHandler: a record logged with a span's context has its trace_id
// and span_id, through WithAttrs and WithGroup; one without has neither.
func TestLogHandler(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(tracing.LogHandler(slog.NewJSONHandler(&buf, nil))).With("transaction", "t1")
	ctx := tracing.WithTraceParent(context.Background(), tp)
	log.InfoContext(ctx, "with span")
	log.Info("without")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var with, without map[string]any
	_ = json.Unmarshal([]byte(lines[0]), &with)
	_ = json.Unmarshal([]byte(lines[1]), &without)
	if with["trace_id"] != traceID || with["span_id"] != trace.SpanContextFromContext(ctx).SpanID().String() || with["transaction"] != "t1" {
		t.Fatalf("with a span: %s", lines[0])
	}
	if _, ok := without["trace_id"]; ok {
		t.Fatalf("without a span: %s", lines[1])
	}
}
