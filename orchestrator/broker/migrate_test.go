package broker_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
)

const intakeName = "switchyard-intake"

// oldCommands replaces PAY_COMMANDS with its old, limits-retention
// declaration holding n commands, with the intake consumer (when consumer)
// having acknowledged acked of them.
func oldCommands(t *testing.T, n, acked int, consumer bool) jetstream.JetStream {
	t.Helper()
	_, js := brokertest.Connect(t, brokertest.Start(t))
	ctx := t.Context()
	if err := js.DeleteStream(ctx, events.StreamCommands); err != nil {
		t.Fatal(err)
	}
	cfg := broker.StreamConfigs()[0]
	cfg.Retention = jetstream.LimitsPolicy
	if _, err := js.CreateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := js.Publish(ctx, events.CommandRoot+".m.charge.create", []byte("{}")); err != nil {
			t.Fatal(err)
		}
	}
	if !consumer {
		return js
	}
	c, err := js.CreateOrUpdateConsumer(ctx, events.StreamCommands, jetstream.ConsumerConfig{Durable: intakeName,
		AckPolicy: jetstream.AckExplicitPolicy, FilterSubject: events.CommandRoot + ".>"})
	if err != nil {
		t.Fatal(err)
	}
	if acked > 0 {
		b, err := c.Fetch(acked, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for m := range b.Messages() {
			if err := m.DoubleAck(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	return js
}

func retention(t *testing.T, js jetstream.JetStream) jetstream.RetentionPolicy {
	t.Helper()
	s, err := js.Stream(context.Background(), events.StreamCommands)
	if err != nil {
		t.Fatal(err)
	}
	return s.CachedInfo().Config.Retention
}

// TestEnsureStreamsRefusesOldRetention: PAY_COMMANDS declared before it
// became a work queue fails EnsureStreams with one error saying what to do.
func TestEnsureStreamsRefusesOldRetention(t *testing.T) {
	t.Parallel()
	js := oldCommands(t, 1, 1, true)
	err := broker.EnsureStreams(t.Context(), js)
	if !errors.Is(err, broker.ErrRetentionChanged) || !strings.Contains(err.Error(), "drain") ||
		!strings.Contains(err.Error(), "deploy/README.md") {
		t.Fatalf("EnsureStreams = %v", err)
	}
}

// TestMigrateDrained: the old PAY_COMMANDS is deleted (and EnsureStreams
// then recreates it as a work queue) only when it is drained; otherwise it
// is left as it was.
func TestMigrateDrained(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		msgs, acked     int
		consumer, moved bool
	}{
		{"drained", 3, 3, true, true},
		{"empty, no consumer", 0, 0, false, true},
		{"pending", 3, 2, true, false},
		{"never consumed", 2, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			js := oldCommands(t, tt.msgs, tt.acked, tt.consumer)
			moved, err := broker.MigrateDrained(t.Context(), js, events.StreamCommands, intakeName)
			if moved != tt.moved || (err == nil) != tt.moved {
				t.Fatalf("MigrateDrained = %v, %v; want moved %v", moved, err, tt.moved)
			}
			if !tt.moved {
				if !errors.Is(err, broker.ErrRetentionChanged) || retention(t, js) != jetstream.LimitsPolicy {
					t.Fatalf("not drained, but: %v, retention %v", err, retention(t, js))
				}
				return
			}
			if err := broker.EnsureStreams(t.Context(), js); err != nil {
				t.Fatal(err)
			}
			if got := retention(t, js); got != jetstream.WorkQueuePolicy {
				t.Fatalf("retention %v", got)
			}
		})
	}
}
