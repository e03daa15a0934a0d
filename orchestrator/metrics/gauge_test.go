package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestGaugeFails: a gauge whose read fails, or hangs past the timeout even
// ignoring its context, is left out of the scrape; the rest is served.
func TestGaugeFails(t *testing.T) {
	t.Parallel()
	r := New()
	logs := captureLogs(r)
	r.SetGaugeTimeout(50 * time.Millisecond)
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	r.Gauge("switchyard_test_ok", "Fine.", func(context.Context) (float64, error) { return 3, nil })
	r.Gauge("switchyard_test_broken", "Fails.", func(context.Context) (float64, error) { return 0, errors.New("database down") })
	r.Gauge("switchyard_test_hung", "Hangs.", func(context.Context) (float64, error) { <-hang; return 1, nil })
	start := time.Now()
	got := text(t, r)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("a scrape with a hung gauge took %v", took)
	}
	contains(t, got, "switchyard_test_ok 3")
	for _, absent := range []string{"switchyard_test_broken ", "switchyard_test_hung "} {
		if strings.Contains(got, absent) {
			t.Errorf("failed gauge served: %q\n%s", absent, ours(got))
		}
	}
	text(t, r) // a second failure in a row is not logged again
	if n := strings.Count(logs.String(), "metric=switchyard_test_broken"); n != 1 {
		t.Errorf("failing gauge logged %d times, want once:\n%s", n, logs)
	}
}

// TestGaugeReplaced: registering a gauge's name again replaces its read
// function (a test process starts several nodes, each with its own store).
func TestGaugeReplaced(t *testing.T) {
	t.Parallel()
	r := New()
	r.Gauge("switchyard_test_pending", "Rows waiting.", func(context.Context) (float64, error) { return 1, nil })
	r.Gauge("switchyard_test_pending", "Rows waiting.", func(context.Context) (float64, error) { return 2, nil })
	got := text(t, r)
	contains(t, got, "switchyard_test_pending 2")
	if n := strings.Count(got, "\nswitchyard_test_pending "); n != 1 {
		t.Errorf("gauge served %d times:\n%s", n, ours(got))
	}
}
