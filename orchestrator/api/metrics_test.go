package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
	if !strings.Contains(b.String(), `switchyard_http_requests_total{method="other",code="405"}`) {
		t.Fatalf("unknown methods are not counted as \"other\":\n%s", b.String())
	}
}
