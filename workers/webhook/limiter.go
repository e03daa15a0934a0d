package webhook

import (
	"sync"
	"time"

	"github.com/google/uuid"
)

// limiter holds, per endpoint, the attempts in flight and a token bucket
// of rate_per_second tokens (burst = the rate). It is per instance and in
// memory.
type limiter struct {
	mu        sync.Mutex
	endpoints map[uuid.UUID]*endpointLimit
}

type endpointLimit struct {
	inFlight, maxInFlight int
	rate                  float64
	tokens                float64
	last                  time.Time
}

func newLimiter() *limiter { return &limiter{endpoints: map[uuid.UUID]*endpointLimit{}} }

// refill adds the tokens earned since last.
func (e *endpointLimit) refill(now time.Time) {
	if e.last.IsZero() {
		e.tokens, e.last = e.rate, now
		return
	}
	e.tokens = min(e.rate, e.tokens+now.Sub(e.last).Seconds()*e.rate)
	e.last = now
}

// room returns, for every endpoint known, how many attempts may start now:
// min(free concurrency, whole tokens). Endpoints with nothing in flight and
// a full bucket are dropped (the claim uses their own limits).
func (l *limiter) room(now time.Time) map[uuid.UUID]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[uuid.UUID]int, len(l.endpoints))
	for id, e := range l.endpoints {
		e.refill(now)
		if e.inFlight == 0 && e.tokens >= e.rate {
			delete(l.endpoints, id)
			continue
		}
		out[id] = max(0, min(e.maxInFlight-e.inFlight, int(e.tokens)))
	}
	return out
}

// start records an attempt starting on endpoint id, with its limits.
func (l *limiter) start(id uuid.UUID, maxInFlight, ratePerSecond int, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.endpoints[id]
	if e == nil {
		e = &endpointLimit{}
		l.endpoints[id] = e
	}
	e.maxInFlight, e.rate = max(1, maxInFlight), float64(max(1, ratePerSecond))
	e.refill(now)
	e.inFlight++
	e.tokens--
}

// done records the end of an attempt on endpoint id.
func (l *limiter) done(id uuid.UUID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.endpoints[id]; e != nil && e.inFlight > 0 {
		e.inFlight--
	}
}
