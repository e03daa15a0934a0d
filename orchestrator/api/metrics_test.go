package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/metrics"
)

// httpSeries counts the series of switchyard_http_requests_total.
func httpSeries(t *testing.T) int {
	t.Helper()
	var b bytes.Buffer
	metrics.Default.WriteText(context.Background(), &b)
	return strings.Count(b.String(), "switchyard_http_requests_total{")
}

func TestLogRequestsBoundsMethodLabel(t *testing.T) {
	h := logRequests(slog.New(slog.DiscardHandler), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusMethodNotAllowed)
	}))
	send := func(method string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, "/v1/charges", nil))
		_, _ = io.Copy(io.Discard, rec.Body)
	}
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "BREW"} {
		send(m) // every bounded series exists once
	}
	before := httpSeries(t)
	for range 500 {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		send("X" + strings.ToUpper(hex.EncodeToString(b)))
	}
	if after := httpSeries(t); after != before {
		t.Fatalf("500 requests with unknown methods added %d metric series", after-before)
	}
	var b bytes.Buffer
	metrics.Default.WriteText(context.Background(), &b)
	if !strings.Contains(b.String(), `switchyard_http_requests_total{code="405",method="other"}`) {
		t.Fatalf("unknown methods are not counted as \"other\":\n%s", b.String())
	}
}

// TestMetricsEndpoint: GET /metrics serves the registry through promhttp:
// declared histograms with their _bucket series, and the Go runtime's.
func TestMetricsEndpoint(t *testing.T) {
	metrics.Default.Observe(metrics.OutboxLagSeconds, 0.01)
	rec := httptest.NewRecorder()
	New(Config{Engine: engine.New(engine.Config{})}).Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{"# TYPE switchyard_outbox_lag_seconds histogram", `switchyard_outbox_lag_seconds_bucket{le="0.01"}`,
		"go_goroutines "} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestMetricsEndpointNegotiates: /metrics is promhttp's handler, which
// compresses for a scraper that accepts gzip (Prometheus does).
func TestMetricsEndpointNegotiates(t *testing.T) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	New(Config{Engine: engine.New(engine.Config{})}).Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET /metrics with Accept-Encoding gzip: %d, Content-Encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if !strings.Contains(string(body), "# TYPE switchyard_outbox_lag_seconds histogram") {
		t.Errorf("/metrics (gzip) lacks the outbox lag histogram:\n%s", body)
	}
}
