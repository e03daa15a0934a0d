package webhook

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Schedule is the default wait before each retry: after the first failed
// attempt 5 s, then 5 min, … The delivery fails after the last.
var Schedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// Jitter is the relative spread of a retry's wait (±10 %).
const Jitter = 0.1

// Retry-After bounds.
const (
	MinRetryAfter = time.Second
	MaxRetryAfter = 24 * time.Hour
)

// NextDelay is the wait after failed attempt number attempt (1-based) under
// schedule, with jitter; ok is false when the schedule has run out. r is a
// number in [0, 1) (rand.Float64).
func NextDelay(schedule []time.Duration, attempt int, r float64) (time.Duration, bool) {
	if attempt < 1 || attempt > len(schedule) {
		return 0, false
	}
	d := float64(schedule[attempt-1])
	return time.Duration(d * (1 - Jitter + 2*Jitter*r)), true
}

// jitterRand is NextDelay's random input.
func jitterRand() float64 { return rand.Float64() }

// RetryAfter parses a Retry-After header (delay seconds or an HTTP date),
// clamped to [MinRetryAfter, MaxRetryAfter]; ok is false when absent or
// unparseable.
func RetryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	var d time.Duration
	if n, err := strconv.ParseInt(h, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		d = time.Duration(min(n, int64(MaxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, MinRetryAfter), MaxRetryAfter), true
}
