package webhook_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkFanOut publishes 1,000 events of one merchant on PAY_EVENTS,
// fanned out to 3 endpoints (max_in_flight 32, 1,000/s each): 3,000
// deliveries. It reports deliveries/s and the p99 of event time → receipt
// at the endpoint. Run it with -benchtime=1x.
func BenchmarkFanOut(b *testing.B) {
	const events, endpoints = 1000, 3
	bd := setup(b)
	var mu sync.Mutex
	var lat []time.Duration
	got := make(chan struct{}, events*endpoints)
	for range endpoints {
		rc := newReceiver(b, nil)
		rc.answer = func(n int, _ http.ResponseWriter, _ *http.Request) {
			req := rc.requests()[n-1]
			var ev struct {
				Time time.Time `json:"time"`
			}
			_ = json.Unmarshal(req.Body, &ev)
			mu.Lock()
			lat = append(lat, req.At.Sub(ev.Time))
			mu.Unlock()
			got <- struct{}{}
		}
		e := bd.newEndpoint(b, rc.srv.URL)
		if _, err := bd.st.Pool.Exec(b.Context(), `UPDATE webhook_endpoints SET max_in_flight = 32, rate_per_second = 1000
			WHERE id = $1`, e.ID); err != nil {
			b.Fatal(err)
		}
	}
	cfg := bd.config()
	cfg.CacheFor = time.Second
	bd.run(b, cfg)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		for range events {
			bd.publish(b, "charge.succeeded")
		}
		deadline := time.After(5 * time.Minute)
		for range events * endpoints {
			select {
			case <-got:
			case <-deadline:
				b.Fatal("deliveries did not all arrive within 5 minutes")
			}
		}
	}
	took := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(events*endpoints*b.N)/took.Seconds(), "deliveries/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
}
