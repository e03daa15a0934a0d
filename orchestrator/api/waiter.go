package api

import "sync"

// waiters wakes requests waiting on a key (a transaction id, or
// merchant/command id) when an event about it is published.
type waiters struct {
	mu sync.Mutex
	m  map[string]map[chan struct{}]struct{}
}

func newWaiters() *waiters { return &waiters{m: map[string]map[chan struct{}]struct{}{}} }

func (w *waiters) add(key string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	w.mu.Lock()
	if w.m[key] == nil {
		w.m[key] = map[chan struct{}]struct{}{}
	}
	w.m[key][ch] = struct{}{}
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		delete(w.m[key], ch)
		if len(w.m[key]) == 0 {
			delete(w.m, key)
		}
		w.mu.Unlock()
	}
}

// empty reports whether no request is waiting at all.
func (w *waiters) empty() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.m) == 0
}

func (w *waiters) wake(key string) {
	if key == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for ch := range w.m[key] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
