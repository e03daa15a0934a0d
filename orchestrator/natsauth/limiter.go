package natsauth

import (
	"sync"
	"time"
)

// Limit bounds failed authentications per merchant id.
type Limit struct {
	Failures int           // failures allowed in a window (default 5)
	Window   time.Duration // default 10 s
}

func (l Limit) withDefaults() Limit {
	if l.Failures <= 0 {
		l.Failures = 5
	}
	if l.Window <= 0 {
		l.Window = 10 * time.Second
	}
	return l
}

// limiter counts failures per user in fixed windows. Its map is pruned of
// ended windows when it grows, so that random user names cannot fill it.
type limiter struct {
	limit Limit
	mu    sync.Mutex
	users map[string]*window
}

type window struct {
	start    time.Time
	failures int
}

// maxTracked is the size at which ended windows are pruned.
const maxTracked = 10000

func newLimiter(l Limit) *limiter {
	return &limiter{limit: l.withDefaults(), users: map[string]*window{}}
}

// allowed says whether user may try now.
func (l *limiter) allowed(user string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.users[user]
	return !ok || now.Sub(w.start) >= l.limit.Window || w.failures < l.limit.Failures
}

// failed records a failure of user.
func (l *limiter) failed(user string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.users[user]
	if !ok || now.Sub(w.start) >= l.limit.Window {
		if len(l.users) >= maxTracked {
			l.prune(now)
		}
		w = &window{start: now}
		l.users[user] = w
	}
	w.failures++
}

func (l *limiter) prune(now time.Time) {
	for u, w := range l.users {
		if now.Sub(w.start) >= l.limit.Window {
			delete(l.users, u)
		}
	}
}
