package webhook_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/webhook"
)

func TestNextDelayScheduleAndJitter(t *testing.T) {
	t.Parallel()
	want := []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
		10 * time.Hour, 10 * time.Hour}
	for i, base := range want {
		lo, ok := webhook.NextDelay(webhook.Schedule, i+1, 0)
		hi, _ := webhook.NextDelay(webhook.Schedule, i+1, 0.999999999)
		mid, _ := webhook.NextDelay(webhook.Schedule, i+1, 0.5)
		if !ok || lo != base*9/10 || hi > base*11/10 || hi < base*11/10-time.Millisecond || mid != base {
			t.Errorf("attempt %d: %s..%s (mid %s), want %s ±10 %%", i+1, lo, hi, mid, base)
		}
	}
	for _, n := range []int{0, len(want) + 1} {
		if _, ok := webhook.NextDelay(webhook.Schedule, n, 0.5); ok {
			t.Errorf("attempt %d has a next delay", n)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		h    string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{"0", time.Second, true},               // clamped up
		{"999999999999", 24 * time.Hour, true}, // clamped down
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), time.Second, true},
		{now.Add(48 * time.Hour).Format(http.TimeFormat), 24 * time.Hour, true},
		{"", 0, false},
		{"-5", 0, false},
		{"soon", 0, false},
	} {
		got, ok := webhook.RetryAfter(c.h, now)
		if got != c.want || ok != c.ok {
			t.Errorf("Retry-After %q: %s %v, want %s %v", c.h, got, ok, c.want, c.ok)
		}
	}
}
