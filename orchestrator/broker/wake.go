package broker

import (
	"sync"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/switchyard/switchyard/events"
)

// WakeRoot is the core NATS subject root of the after-commit wake-ups
// (store.Waker): pay.int.wake.<channel>. No stream captures it: a wake-up is a
// hint for a loop that also polls, worthless once it is late.
const WakeRoot = events.InternalRoot + ".wake"

// Wakeups is a store.Waker over core NATS, with an in-process shortcut: a
// Wake reaches this process's subscribers at once and other instances
// through NATS. An instance skips its own wake-ups when they come back from
// the server.
type Wakeups struct {
	nc *nats.Conn
	id []byte

	mu    sync.Mutex
	local map[string][]chan<- struct{}
}

// NewWakeups returns the wake-ups of one instance on nc.
func NewWakeups(nc *nats.Conn) *Wakeups {
	id := uuid.New()
	return &Wakeups{nc: nc, id: id[:], local: map[string][]chan<- struct{}{}}
}

// Wake wakes channel's subscribers here, then publishes to other instances.
// A publish that fails (the connection is down) is dropped: the subscribers
// poll.
func (w *Wakeups) Wake(channel string) {
	w.mu.Lock()
	for _, c := range w.local[channel] {
		poke(c)
	}
	w.mu.Unlock()
	_ = w.nc.Publish(WakeRoot+"."+channel, w.id)
}

// Subscribe wakes wake for every Wake of channel, here or in another
// instance, until stop.
func (w *Wakeups) Subscribe(channel string, wake chan<- struct{}) (stop func(), err error) {
	sub, err := w.nc.Subscribe(WakeRoot+"."+channel, func(m *nats.Msg) {
		if string(m.Data) != string(w.id) {
			poke(wake)
		}
	})
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.local[channel] = append(w.local[channel], wake)
	w.mu.Unlock()
	return func() {
		_ = sub.Unsubscribe()
		w.mu.Lock()
		defer w.mu.Unlock()
		subs := w.local[channel]
		for i, c := range subs {
			if c == wake {
				w.local[channel] = append(subs[:i:i], subs[i+1:]...)
				break
			}
		}
	}, nil
}

func poke(c chan<- struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
