package main

import (
	"errors"
	"log/slog"
	"testing"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/schema/schematest"
)

// TestDevMigratesDrainedCommands: a node started as switchyard dev starts it
// on a drained PAY_COMMANDS of the old (limits) retention recreates it as a
// work queue and handles commands; serve's node refuses to start on it.
func TestDevMigratesDrainedCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	natsURL := brokertest.Start(t)
	_, js := brokertest.Connect(t, natsURL)
	if err := js.DeleteStream(t.Context(), events.StreamCommands); err != nil {
		t.Fatal(err)
	}
	old := broker.StreamConfigs()[0]
	old.Retention = jetstream.LimitsPolicy
	if _, err := js.CreateStream(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	cfg := nodeConfig{DatabaseURL: schematest.NewDB(t), NATSURL: natsURL, SecretKey: make([]byte, 32),
		Log: slog.New(slog.DiscardHandler)}
	if _, err := startNode(t.Context(), cfg); !errors.Is(err, broker.ErrRetentionChanged) {
		t.Fatalf("serve's node on the old stream: %v", err)
	}
	e := newEnvOn(t, allRoles, natsURL, func(c *nodeConfig) { c.MigrateStreams = true })
	m := e.newMerchant("15m")
	id := natsTransport{}.create(m, uuid.NewString(), chargeData("ref-migrated", "10.00"))
	m.waitStatus(id, events.StatusAuthorized)
	s, err := js.Stream(t.Context(), events.StreamCommands)
	if err != nil || s.CachedInfo().Config.Retention != jetstream.WorkQueuePolicy {
		t.Fatalf("PAY_COMMANDS after dev: %v", err)
	}
}
