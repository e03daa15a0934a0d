package outbox_test

import (
	"testing"

	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/outbox"
)

// TestRelayObservesLag: publishing a row records how long it waited since
// it was written in switchyard_outbox_lag_seconds.
func TestRelayObservesLag(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.insert(t, row("lag", 1))
	// The row was written 30 s ago, as if the relay had been down.
	if _, err := e.st.Pool.Exec(t.Context(), `UPDATE outbox SET created_at = now() - interval '30 seconds'`); err != nil {
		t.Fatal(err)
	}
	n0, sum0 := metrics.Default.Observed(metrics.OutboxLagSeconds)
	r := e.newRelay(t, "relay", outbox.Config{})
	if n, err := r.Pass(t.Context()); err != nil || n != 1 {
		t.Fatalf("Pass = %d, %v; want 1 row", n, err)
	}
	// Other tests of the package publish too (in parallel): at least this
	// row's sample, and at least its 30 s.
	n1, sum1 := metrics.Default.Observed(metrics.OutboxLagSeconds)
	if n1 < n0+1 || sum1-sum0 < 30 {
		t.Fatalf("outbox lag: %d samples summing to %gs after the pass, want ≥ 1 summing to ≥ 30s", n1-n0, sum1-sum0)
	}
}
