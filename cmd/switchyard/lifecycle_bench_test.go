package main

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkChargeLifecycle drives charge → confirm lifecycles end to end
// through an in-process orchestrator (real PostgreSQL from schematest, real
// embedded JetStream, the ono//connect simulator) with the same driver as
// `switchyard bench`, at concurrency 1, 16 and 64:
//
//	go test -run '^$' -bench ChargeLifecycle -benchtime 2000x ./cmd/switchyard/
//
// The test cluster runs with fsync off, so these figures track the CPU cost
// of the hot path; the durable figures come from `switchyard bench` against
// `switchyard dev` (synchronous_commit=on, SyncAlways), see README.
func BenchmarkChargeLifecycle(b *testing.B) { benchLifecycle(b, scenarioOno, []int{1, 16, 64}) }

// BenchmarkProcessOneVoidLifecycle drives ProcessOne card sale → full
// refund (a void: the batch is open) lifecycles the same way, at
// concurrency 64 (`switchyard bench --scenario processone-void` against
// `switchyard dev` gives the durable figure):
//
//	go test -run '^$' -bench ProcessOneVoidLifecycle -benchtime 2000x ./cmd/switchyard/
func BenchmarkProcessOneVoidLifecycle(b *testing.B) {
	benchLifecycle(b, scenarioProcessOneVoid, []int{64})
}

func benchLifecycle(b *testing.B, scn *scenario, concurrency []int) {
	for _, c := range concurrency {
		b.Run(fmt.Sprintf("c=%d", c), func(b *testing.B) {
			e := newEnv(b)
			m := e.newP1Merchant()
			bn := &bencher{cfg: benchConfig{merchantID: m.id, c: c, amount: scn.amount, timeout: 30 * time.Second, quiet: true, scenario: scn},
				js: e.js, runID: fmt.Sprintf("b%d-%d", c, b.N), router: newRouter()}
			sub, err := bn.router.subscribe(e.nc, m.id)
			if err != nil {
				b.Fatal(err)
			}
			defer func() { _ = sub.Unsubscribe() }()
			b.ResetTimer()
			res := bn.phase(b.Context(), "bench", b.N, 0)
			b.StopTimer()
			if f := res.failed(); f > 0 || res.abort != nil {
				b.Fatalf("%d lifecycles failed (%v)", f, res.abort)
			}
			var total []time.Duration
			for _, o := range res.outcomes {
				total = append(total, o.total)
			}
			s := summarize(total)
			b.ReportMetric(float64(b.N)/res.wall.Seconds(), "lifecycles/s")
			b.ReportMetric(s.P50, "p50-ms")
			b.ReportMetric(s.P99, "p99-ms")
		})
	}
}
