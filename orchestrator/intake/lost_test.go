package intake_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/orchestrator/intake"
)

// charge publishes one valid charge.create.
func (e *env) charge(t *testing.T) {
	t.Helper()
	id := uuid.NewString()
	e.publish(t, events.ChargeCreate, id, envelope(id, events.ChargeCreate, chargeData("ref-"+id, "10.00")))
}

// TestIntakeRecreatesDeletedConsumer: the intake consumer deleted under a
// running intake is noticed and recreated; commands published afterwards are
// handled.
func TestIntakeRecreatesDeletedConsumer(t *testing.T) {
	t.Parallel()
	e := setup(t)
	waitReady(t, e.in, "")
	if err := e.js.DeleteConsumer(t.Context(), events.StreamCommands, intake.ConsumerName); err != nil {
		t.Fatal(err)
	}
	e.charge(t)
	e.drained(t, 1)
}

// TestIntakeRecreatesDeletedStream: PAY_COMMANDS deleted under a running
// intake (and recreated, by intake or by an operator) takes its consumer
// with it; intake recreates what is missing and handles later commands.
func TestIntakeRecreatesDeletedStream(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.charge(t)
	e.drained(t, 1)
	if err := e.js.DeleteStream(t.Context(), events.StreamCommands); err != nil {
		t.Fatal(err)
	}
	// Intake itself recreates the stream (a second creator racing it here
	// made nats-server fail one of them now and then: meta.inf.tmp).
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := e.js.Stream(t.Context(), events.StreamCommands); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("intake did not recreate PAY_COMMANDS within 15s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.charge(t)
	e.drained(t, 2)
}

// TestIntakeNotReadyWhileConsumerLost: while PAY_COMMANDS cannot be
// recreated (the account may hold one stream only), intake says why it is
// not ready; once it can, it recreates stream and consumer, is ready again
// and handles later commands.
func TestIntakeNotReadyWhileConsumerLost(t *testing.T) {
	t.Parallel()
	srv := brokertest.StartServer(t)
	e := setupOn(t, srv.URL())
	waitReady(t, e.in, "")
	acc := srv.Server.GlobalAccount()
	limit := func(streams int) {
		t.Helper()
		err := acc.UpdateJetStreamLimits(map[string]server.JetStreamAccountLimits{
			"": {MaxMemory: -1, MaxStore: -1, MaxStreams: streams, MaxConsumers: -1, MaxAckPending: -1}})
		if err != nil {
			t.Fatal(err)
		}
	}
	limit(1) // PAY_EVENTS stays; a deleted PAY_COMMANDS cannot come back
	if err := e.js.DeleteStream(t.Context(), events.StreamCommands); err != nil {
		t.Fatal(err)
	}
	waitReady(t, e.in, "consumer "+intake.ConsumerName+" on "+events.StreamCommands+" is lost")
	limit(-1)
	waitReady(t, e.in, "")
	e.charge(t)
	e.drained(t, 1)
}

// waitReady waits until in.Ready answers nil (want "") or an error
// containing want.
func waitReady(t *testing.T, in *intake.Intake, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := in.Ready(context.Background())
		if (want == "" && err == nil) || (want != "" && err != nil && strings.Contains(err.Error(), want)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Ready = %v, want %q", err, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
