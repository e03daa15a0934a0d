package intake_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/intake"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// TestIntakeGivesUpOnInfrastructureFailure: with PostgreSQL unreachable, a
// command is redelivered with back-off and, on its last delivery, answered
// with command.rejected (undeliverable_command) and terminated: never
// silently dropped, never retried forever.
func TestIntakeGivesUpOnInfrastructureFailure(t *testing.T) {
	nc, js := brokertest.Connect(t, brokertest.Start(t))
	// A pool whose every connection is refused: the database is "down".
	pool, err := pgxpool.New(t.Context(), "postgres://postgres@127.0.0.1:1/none?connect_timeout=1&sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	eng := engine.New(engine.Config{Store: &store.Store{Pool: pool}})
	in := intake.New(intake.Config{Engine: eng, JetStream: js, RetryDelays: []time.Duration{10 * time.Millisecond}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = in.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	merchant := uuid.NewString()
	sub, err := nc.SubscribeSync(events.MerchantEvents(merchant))
	if err != nil {
		t.Fatal(err)
	}
	cmd := `{"specversion":"1.0","id":"c-dead","source":"t","type":"charge.create","data":{"amount":"1.00"}}`
	msg := &nats.Msg{Subject: events.CommandSubject(merchant, events.ChargeCreate), Data: []byte(cmd), Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, "c-dead")
	if _, err := js.PublishMsg(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	got, err := sub.NextMsg(20 * time.Second)
	if err != nil {
		t.Fatalf("no command.rejected: %v", err)
	}
	var ev events.Event
	if err := json.Unmarshal(got.Data, &ev); err != nil || ev.Type != events.CommandRejected ||
		ev.Data.Reason.Code != events.ReasonUndeliverableCommand || ev.CausationID != "c-dead" {
		t.Fatalf("answer: %s", got.Data)
	}
	if _, _, dead := in.Stats(); dead != 1 {
		t.Fatalf("dead = %d", dead)
	}
	cons, _ := js.Consumer(t.Context(), events.StreamCommands, intake.ConsumerName)
	deadline := time.Now().Add(5 * time.Second)
	for {
		info, err := cons.Info(t.Context())
		if err == nil && info.NumAckPending == 0 && info.NumPending == 0 && info.Delivered.Consumer == intake.MaxDeliver {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumer: %+v (%v)", info, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
