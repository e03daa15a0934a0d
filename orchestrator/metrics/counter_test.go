package metrics

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
)

// text returns r's exposition.
func text(t *testing.T, r *Registry) string {
	t.Helper()
	var b bytes.Buffer
	r.WriteText(context.Background(), &b)
	return b.String()
}

// ours keeps the lines of an exposition about switchyard_ metrics.
func ours(exposition string) string {
	var b strings.Builder
	for line := range strings.Lines(exposition) {
		if strings.Contains(line, "switchyard_") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// contains fails t for each line of want that is not a whole line of got.
func contains(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w+"\n") {
			t.Errorf("missing %q in\n%s", w, ours(got))
		}
	}
}

func TestCounterExposition(t *testing.T) {
	t.Parallel()
	r := New()
	r.Help("switchyard_test_commands_total", "Commands handled.")
	r.Inc("switchyard_test_commands_total", "outcome", "accepted")
	r.Add("switchyard_test_commands_total", 2, "outcome", "rejected")
	r.Inc("switchyard_test_calls_total", "provider", "onoconnect", "op", "confirm")
	r.Inc("switchyard_test_calls_total", "op", "confirm", "provider", "onoconnect") // same series, pairs in another order
	r.Add("switchyard_test_plain_total", 5)
	got := text(t, r)
	contains(t, got,
		"# HELP switchyard_test_commands_total Commands handled.",
		"# TYPE switchyard_test_commands_total counter",
		`switchyard_test_commands_total{outcome="accepted"} 1`,
		`switchyard_test_commands_total{outcome="rejected"} 2`,
		`switchyard_test_calls_total{op="confirm",provider="onoconnect"} 2`,
		"switchyard_test_plain_total 5",
	)
	if n := strings.Count(got, "# TYPE switchyard_test_commands_total"); n != 1 {
		t.Errorf("TYPE printed %d times, want once per metric", n)
	}
	for _, c := range []struct {
		labels []string
		want   int64
	}{
		{[]string{"outcome", "accepted"}, 1},
		{[]string{"outcome", "rejected"}, 2},
		{[]string{"outcome", "never"}, 0},
	} {
		if v := r.Value("switchyard_test_commands_total", c.labels...); v != c.want {
			t.Errorf("Value(%v) = %d, want %d", c.labels, v, c.want)
		}
	}
	if v := r.Value("switchyard_test_calls_total", "provider", "onoconnect", "op", "confirm"); v != 2 {
		t.Errorf("Value of a series named by pairs in another order = %d, want 2", v)
	}
	if v := r.Value("switchyard_test_unknown_total"); v != 0 {
		t.Errorf("Value of a counter never used = %d, want 0", v)
	}
	if strings.Contains(text(t, r), `outcome="never"`) {
		t.Error("Value created the series it read")
	}
}

func TestCounterConcurrent(t *testing.T) {
	t.Parallel()
	r := New()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				r.Inc("switchyard_test_concurrent_total", "outcome", "ok")
			}
		})
	}
	wg.Wait()
	if v := r.Value("switchyard_test_concurrent_total", "outcome", "ok"); v != 8000 {
		t.Fatalf("Value = %d after 8000 increments", v)
	}
}

// TestCounterLabelMismatch: a second use of a counter's name with other
// label names (or an odd list, or a negative amount) is dropped; it neither
// panics nor adds a series that breaks the metric's label set.
func TestCounterLabelMismatch(t *testing.T) {
	t.Parallel()
	r := New()
	logs := captureLogs(r)
	r.Inc("switchyard_test_mixed_total", "outcome", "ok")
	r.Inc("switchyard_test_mixed_total", "kind", "other")
	r.Inc("switchyard_test_mixed_total", "outcome", "ok", "extra", "x")
	r.Inc("switchyard_test_mixed_total", "outcome")
	r.Add("switchyard_test_mixed_total", -1, "outcome", "ok")
	got := text(t, r)
	contains(t, got, `switchyard_test_mixed_total{outcome="ok"} 1`)
	for _, bad := range []string{`kind="other"`, `extra="x"`} {
		if strings.Contains(got, bad) {
			t.Errorf("a mismatched use was exposed (%s):\n%s", bad, ours(got))
		}
	}
	if n := r.Value(DroppedTotal, "metric", "switchyard_test_mixed_total"); n != 4 {
		t.Errorf("%d drops counted, want 4", n)
	}
	if n := strings.Count(logs.String(), "metric=switchyard_test_mixed_total"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, logs)
	}
}

func TestGaugeReadAtScrape(t *testing.T) {
	t.Parallel()
	r := New()
	n := 0.0
	r.Gauge("switchyard_test_pending", "Rows waiting.", func(context.Context) (float64, error) { n++; return n, nil })
	contains(t, text(t, r), "# TYPE switchyard_test_pending gauge", "switchyard_test_pending 1")
	contains(t, text(t, r), "switchyard_test_pending 2")
}
