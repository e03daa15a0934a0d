package broker_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
)

func woken(c <-chan struct{}, within time.Duration) bool {
	select {
	case <-c:
		return true
	case <-time.After(within):
		return false
	}
}

// A Wake reaches the subscribers of its channel in this instance at once and
// in another instance through NATS, once each, and no stream keeps it.
func TestWakeupsReachEveryInstanceOnce(t *testing.T) {
	url := brokertest.Start(t)
	nc1, js := brokertest.Connect(t, url)
	nc2, _ := brokertest.Connect(t, url)
	a, b := broker.NewWakeups(nc1), broker.NewWakeups(nc2)

	here, there, other := make(chan struct{}, 8), make(chan struct{}, 8), make(chan struct{}, 8)
	for _, s := range []struct {
		w    *broker.Wakeups
		ch   string
		wake chan struct{}
	}{{a, "work", here}, {b, "work", there}, {b, "outbox", other}} {
		stop, err := s.w.Subscribe(s.ch, s.wake)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
	}
	for _, nc := range []*nats.Conn{nc1, nc2} {
		if err := nc.Flush(); err != nil {
			t.Fatal(err)
		}
	}

	a.Wake("work")
	select {
	case <-here: // in-process: before any round trip
	default:
		t.Fatal("the local subscriber was not woken at once")
	}
	if !woken(there, 5*time.Second) {
		t.Fatal("the other instance was not woken")
	}
	if woken(here, 300*time.Millisecond) {
		t.Error("the local subscriber was woken a second time by its own wake-up's echo")
	}
	if woken(other, 0) {
		t.Error("a subscriber of another channel was woken")
	}

	// A stopped subscription is no longer woken.
	stop, err := a.Subscribe("late", here)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	a.Wake("late")
	if woken(here, 300*time.Millisecond) {
		t.Error("woken after stop")
	}

	// No stream captures pay.int.wake.>.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if _, err := js.StreamNameBySubject(ctx, broker.WakeRoot+".work"); err != jetstream.ErrStreamNotFound {
		t.Errorf("a stream captures the wake-ups (err %v)", err)
	}
}
