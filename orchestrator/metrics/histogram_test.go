package metrics

import (
	"strings"
	"testing"
)

func TestHistogramBuckets(t *testing.T) {
	t.Parallel()
	r := New()
	r.Observe(OutboxLagSeconds, 0.02)
	r.Observe(TimerLagSeconds, 90, "kind", "retry")
	r.Observe(ProviderCallSeconds, 0.3, "outcome", "ok", "provider", "onoconnect", "operation", "charge")
	contains(t, text(t, r),
		"# TYPE switchyard_outbox_lag_seconds histogram",
		`switchyard_outbox_lag_seconds_bucket{le="0.01"} 0`,
		`switchyard_outbox_lag_seconds_bucket{le="0.025"} 1`,
		`switchyard_outbox_lag_seconds_bucket{le="+Inf"} 1`,
		"switchyard_outbox_lag_seconds_count 1",
		`switchyard_timer_lag_seconds_bucket{kind="retry",le="60"} 0`,
		`switchyard_timer_lag_seconds_bucket{kind="retry",le="120"} 1`,
		`switchyard_provider_call_duration_seconds_bucket{operation="charge",outcome="ok",provider="onoconnect",le="0.5"} 1`,
	)
	if n, sum := r.Observed(TimerLagSeconds, "kind", "retry"); n != 1 || sum != 90 {
		t.Errorf("Observed = %d samples summing to %g, want 1 and 90", n, sum)
	}
	if n, _ := r.Observed(TimerLagSeconds, "kind", "confirm_deadline"); n != 0 {
		t.Errorf("Observed of a series never observed = %d", n)
	}
}

// TestDeclared: every metric names.go declares is served with its label
// names (a typo in a name, a label or the buckets fails here, not in
// production).
func TestDeclared(t *testing.T) {
	t.Parallel()
	r := New()
	for _, d := range declared {
		var pairs []string
		for _, l := range d.labels {
			pairs = append(pairs, l, "x")
		}
		if d.name == DroppedTotal {
			continue
		}
		if d.buckets != nil {
			r.Observe(d.name, 0.1, pairs...)
		} else {
			r.Inc(d.name, pairs...)
		}
	}
	got := text(t, r)
	for _, d := range declared {
		if d.name == DroppedTotal {
			continue
		}
		if n := r.Value(DroppedTotal, "metric", d.name); n != 0 {
			t.Errorf("%s: %d uses dropped", d.name, n)
		}
		series := d.name + "{"
		if d.buckets != nil {
			series = d.name + "_bucket{"
		} else if len(d.labels) == 0 {
			series = d.name + " "
		}
		if !strings.Contains(got, series) {
			t.Errorf("%s is not served:\n%s", series, ours(got))
		}
	}
}

// TestHistogramMisuse: observing an undeclared histogram, a counter, or with
// the wrong label names is dropped and counted, and logged once per metric.
func TestHistogramMisuse(t *testing.T) {
	t.Parallel()
	r := New()
	logs := captureLogs(r)
	r.Observe("switchyard_test_undeclared_seconds", 1)
	r.Observe(TimerLagSeconds, 1, "type", "charge.create")
	r.Observe(TimerLagSeconds, 1)
	r.Observe(TimerLagSeconds, 1, "kind", "retry", "provider", "onoconnect")
	r.Observe(TransitionsTotal, 1, "lifecycle", "charge", "status", "succeeded")
	r.Inc(OutboxLagSeconds)
	for _, c := range []struct {
		metric string
		want   int64
	}{{"switchyard_test_undeclared_seconds", 1}, {TimerLagSeconds, 3}, {TransitionsTotal, 1}, {OutboxLagSeconds, 1}} {
		if got := r.Value(DroppedTotal, "metric", c.metric); got != c.want {
			t.Errorf("%s: %d drops counted, want %d", c.metric, got, c.want)
		}
	}
	if n, _ := r.Observed(TimerLagSeconds, "kind", "retry"); n != 0 {
		t.Errorf("a mismatched observation was recorded")
	}
	if n := strings.Count(logs.String(), "metric="+TimerLagSeconds); n != 1 {
		t.Errorf("%s logged %d times, want once:\n%s", TimerLagSeconds, n, logs)
	}
}
