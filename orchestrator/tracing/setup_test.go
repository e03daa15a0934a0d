package tracing_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/tracing"
)

// otlpReceiver is an OTLP/HTTP collector that counts what it is sent.
type otlpReceiver struct {
	srv   *httptest.Server
	mu    sync.Mutex
	posts []string // method and path of each request
}

func newOTLPReceiver(t *testing.T) *otlpReceiver {
	r := &otlpReceiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		r.mu.Lock()
		r.posts = append(r.posts, req.Method+" "+req.URL.Path)
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *otlpReceiver) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.posts...)
}

func noEnv(string) string { return "" }

// endSpan makes one span and flushes the provider.
func endSpan(t *testing.T, p *tracing.Provider) {
	t.Helper()
	_, span := tracing.Tracer(p).Start(context.Background(), "test")
	if !span.SpanContext().IsValid() {
		t.Fatal("span has no ids")
	}
	span.End()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.ForceFlush(ctx); err != nil {
		t.Fatal(err)
	}
}

func shutdown(t *testing.T, p *tracing.Provider) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = p.Shutdown(ctx)
	})
}

// TestSetupExports: spans are exported over OTLP/HTTP (POST /v1/traces) to
// the endpoint given, or to OTEL_EXPORTER_OTLP_ENDPOINT's; with neither no
// exporter exists (and still every span has ids).
func TestSetupExports(t *testing.T) {
	for _, tc := range []struct {
		name     string
		endpoint func(base string) string
		env      func(base string) func(string) string
		want     []string
	}{
		{name: "off by default", endpoint: func(string) string { return "" },
			env: func(string) func(string) string { return noEnv }},
		{name: "flag", endpoint: func(base string) string { return base },
			env: func(string) func(string) string { return noEnv }, want: []string{"POST /v1/traces"}},
		{name: "flag with a path", endpoint: func(base string) string { return base + "/collect/traces" },
			env: func(string) func(string) string { return noEnv }, want: []string{"POST /collect/traces"}},
		{name: "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint: func(string) string { return "" },
			env: func(base string) func(string) string {
				return func(k string) string {
					if k == "OTEL_EXPORTER_OTLP_ENDPOINT" {
						return base
					}
					return ""
				}
			}, want: []string{"POST /v1/traces"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rcv := newOTLPReceiver(t)
			if tc.name == "OTEL_EXPORTER_OTLP_ENDPOINT" {
				// The exporter reads the variable itself.
				t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", rcv.srv.URL)
			}
			p, err := tracing.Setup(tracing.Config{Endpoint: tc.endpoint(rcv.srv.URL), Getenv: tc.env(rcv.srv.URL)})
			if err != nil {
				t.Fatal(err)
			}
			shutdown(t, p)
			if p.Exporting != (len(tc.want) > 0) {
				t.Fatalf("Exporting = %v, want %v", p.Exporting, len(tc.want) > 0)
			}
			endSpan(t, p)
			got := rcv.got()
			if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
				t.Fatalf("collector got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSetupRefusesABadEndpoint(t *testing.T) {
	for _, ep := range []string{"collector:4318", "ftp://collector", "http://"} {
		if _, err := tracing.Setup(tracing.Config{Endpoint: ep, Getenv: noEnv}); err == nil {
			t.Errorf("Setup(%q): no error", ep)
		}
	}
}
