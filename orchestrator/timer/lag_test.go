package timer_test

import (
	"math"
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/timer"
)

// TestTimerObservesLag: applying a timer records how late it was (now −
// due_at, by the service's clock) in switchyard_timer_lag_seconds{kind}. It
// does not run in parallel: it expects exactly one sample of exactly 90 s in
// the process-wide registry (a real clock would give about an hour).
func TestTimerObservesLag(t *testing.T) {
	b := setup(t)
	id := b.charge(t, "late")
	due := time.Now().Add(-time.Hour).Truncate(time.Second)
	b.setTimer(t, id, due)
	n0, sum0 := metrics.Default.Observed(metrics.TimerLagSeconds, "kind", charge.TimerRetry)
	svc := timer.New(timer.Config{Engine: b.eng, Now: func() time.Time { return due.Add(90 * time.Second) }})
	if n, err := svc.Pass(t.Context()); err != nil || n != 1 {
		t.Fatalf("Pass = %d, %v; want 1 timer applied", n, err)
	}
	n1, sum1 := metrics.Default.Observed(metrics.TimerLagSeconds, "kind", charge.TimerRetry)
	if n1 != n0+1 || math.Abs(sum1-sum0-90) > 1e-6 {
		t.Fatalf("timer lag: %d samples summing to %gs, want 1 of 90s", n1-n0, sum1-sum0)
	}
}
