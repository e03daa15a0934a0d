package metrics

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// captureLogs sends r's logs to the returned buffer.
func captureLogs(r *Registry) *lockedBuffer {
	var b lockedBuffer
	r.SetLogger(slog.New(slog.NewTextHandler(&b, nil)))
	return &b
}

// TestHandler: the handler serves the registry's own metrics and the Go
// runtime and process collectors, in the text format.
func TestHandler(t *testing.T) {
	t.Parallel()
	r := New()
	r.Inc("switchyard_test_http_total", "code", "200")
	r.Observe(OutboxLagSeconds, 0.5)
	srv := httptest.NewServer(r.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %s %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{`switchyard_test_http_total{code="200"} 1`, "switchyard_outbox_lag_seconds_bucket{",
		"go_goroutines ", "process_open_fds "} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
}

// TestDefaultIsNotGlobal: Default does not use client_golang's global
// registry, so a library registering there cannot clash with our names.
func TestDefaultIsNotGlobal(t *testing.T) {
	t.Parallel()
	before := Default.Value("switchyard_test_default_total")
	Default.Inc("switchyard_test_default_total")
	if Default.Value("switchyard_test_default_total") != before+1 {
		t.Fatal("Default does not count")
	}
	mfs, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if strings.HasPrefix(mf.GetName(), "switchyard_") {
			t.Errorf("%s is in client_golang's global registry", mf.GetName())
		}
	}
}
