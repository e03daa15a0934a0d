package webhook

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	long := now.Add(-5 * 24 * time.Hour)
	recent := now.Add(-time.Hour)
	p := policy{Schedule: Schedule, DisableAfter: DisableAfter, Rand: func() float64 { return 0.5 }}
	for _, c := range []struct {
		name     string
		code     int
		retryAft string
		err      string
		attempts int // before
		failing  *time.Time
		status   string
		retryIn  time.Duration // 0: none
		healthy  bool
		failingS bool
		disable  string
	}{
		{name: "2xx", code: 204, status: store.DeliveryDelivered, healthy: true},
		{name: "500 first", code: 500, status: store.DeliveryPending, retryIn: 5 * time.Second, failingS: true},
		{name: "timeout third", err: "timeout: x", attempts: 2, status: store.DeliveryPending, retryIn: 30 * time.Minute, failingS: true},
		{name: "3xx is a failure", code: 302, status: store.DeliveryPending, retryIn: 5 * time.Second, failingS: true},
		{name: "schedule run out", code: 500, attempts: 7, status: store.DeliveryFailed, failingS: true},
		{name: "410", code: 410, status: store.DeliveryFailed, disable: "410 Gone from https://shop.example/hook"},
		{name: "429 Retry-After", code: 429, retryAft: "120", status: store.DeliveryPending, retryIn: 2 * time.Minute, failingS: true},
		{name: "503 Retry-After date", code: 503, retryAft: now.Add(time.Hour).Format(http.TimeFormat), status: store.DeliveryPending,
			retryIn: time.Hour, failingS: true},
		{name: "500 Retry-After ignored", code: 500, retryAft: "120", status: store.DeliveryPending, retryIn: 5 * time.Second, failingS: true},
		{name: "failing 1 h", code: 500, failing: &recent, status: store.DeliveryPending, retryIn: 5 * time.Second, failingS: true},
		{name: "failing 5 days", code: 500, failing: &long, status: store.DeliveryPending, retryIn: 5 * time.Second, failingS: true,
			disable: "failing for 5 days"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tg := &store.WebhookTarget{Delivery: store.WebhookDelivery{ID: uuid.New(), Attempts: c.attempts, Status: store.DeliveryPending},
				Endpoint: store.WebhookEndpoint{URL: "https://shop.example/hook", Status: "enabled", FailingSince: c.failing}}
			o := decide(tg, result{StatusCode: c.code, RetryAfter: c.retryAft, Err: c.err, Started: now}, now, p)
			var in time.Duration
			if o.RetryIn != nil {
				in = *o.RetryIn
			}
			if o.Delivery.Status != c.status || in != c.retryIn || o.Healthy != c.healthy || o.Failing != c.failingS ||
				o.Disable != c.disable || o.Delivery.Attempts != c.attempts+1 || o.Attempt == nil || o.Attempt.Attempt != c.attempts+1 {
				t.Errorf("got %s retry %s healthy %v failing %v disable %q attempts %d",
					o.Delivery.Status, in, o.Healthy, o.Failing, o.Disable, o.Delivery.Attempts)
			}
		})
	}
}

func TestValidHead(t *testing.T) {
	t.Parallel()
	for _, in := range [][]byte{
		[]byte("ok"),
		append([]byte(strings.Repeat("a", ResponseHeadBytes-1)), 0xe2, 0x82), // a rune cut by the read
		{0xff, 0xfe, 'x', 0, 'y'},
		[]byte(strings.Repeat("\xff", ResponseHeadBytes)), // each invalid byte widens to 3
	} {
		got := validHead(in)
		if !utf8.ValidString(got) || len(got) > ResponseHeadBytes || strings.ContainsRune(got, 0) {
			t.Errorf("validHead(%q…) = %q…: valid %v, %d bytes", in[:min(8, len(in))], got[:min(8, len(got))], utf8.ValidString(got), len(got))
		}
	}
	if got := validHead(append([]byte("abc"), 0xe2, 0x82)); got != "abc" {
		t.Errorf("cut rune: %q, want abc", got)
	}
}
