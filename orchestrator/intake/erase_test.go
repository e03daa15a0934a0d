package intake_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/intake"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// TestIntakeErasesAppliedCommands: once applied (accepted or rejected), a
// command is gone from PAY_COMMANDS: it cannot be read by its sequence, the
// stream holds only the command left unapplied, and (the test store is not encrypted) its card
// number is nowhere in the stream's files: it was overwritten, not only
// unlinked from the index.
func TestIntakeErasesAppliedCommands(t *testing.T) {
	t.Parallel()
	srv := brokertest.StartServer(t)
	e := setupOn(t, srv.URL())
	const card = "4111111111111111"
	// Intake's consumer first: nats-server races a stream update against a
	// consumer being created on it (seen under -race).
	waitReady(t, e.in, "")
	holdBlock(t, e.js)
	id := uuid.NewString()
	accepted := e.publish(t, events.ChargeCreate, id, envelope(id, events.ChargeCreate, chargeData("ref-erase", "10.00")))
	bad := uuid.NewString()
	rejected := e.publish(t, events.ChargeCreate, bad, envelope(bad, events.ChargeCreate, without(chargeData("ref-bad", "1.00"), "amount")))
	e.drained(t, 2)
	s, err := e.js.Stream(t.Context(), events.StreamCommands)
	if err != nil {
		t.Fatal(err)
	}
	for _, ack := range []*jetstream.PubAck{accepted, rejected} {
		if _, err := s.GetMsg(t.Context(), ack.Sequence); !errors.Is(err, jetstream.ErrMsgNotFound) {
			t.Errorf("GetMsg(%d) = %v, want ErrMsgNotFound", ack.Sequence, err)
		}
	}
	info, err := s.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 || info.State.NumDeleted != 2 {
		t.Errorf("stream state: %+v", info.State)
	}
	dir := filepath.Join(srv.Server.StoreDir(), "$G", "streams", events.StreamCommands)
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil && bytes.Contains(b, []byte(card)) {
			t.Errorf("%s still holds the card number", path)
		}
		return err
	})
}

// holdBlock stores, ahead of the commands, a message no consumer takes (on a
// subject added for it), so that the block file stays in use: a plain
// removal of the later commands would leave their bytes in it.
func holdBlock(t *testing.T, js jetstream.JetStream) {
	t.Helper()
	s, err := js.Stream(t.Context(), events.StreamCommands)
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.CachedInfo().Config
	cfg.Subjects = append(cfg.Subjects, "test.hold")
	if _, err := js.UpdateStream(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(t.Context(), "test.hold", []byte("no card data")); err != nil {
		t.Fatal(err)
	}
}

// TestIntakeKeepsFailedCommands: a command that failed for infrastructure
// reasons (PostgreSQL down) is not erased: it stays in PAY_COMMANDS and is
// redelivered.
func TestIntakeKeepsFailedCommands(t *testing.T) {
	t.Parallel()
	_, js := brokertest.Connect(t, brokertest.Start(t))
	pool, err := pgxpool.New(t.Context(), "postgres://postgres@127.0.0.1:1/none?connect_timeout=1&sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	in := intake.New(intake.Config{Engine: engine.New(engine.Config{Store: &store.Store{Pool: pool}}), JetStream: js,
		RetryDelays: []time.Duration{50 * time.Millisecond, time.Minute}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = in.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	e := &env{js: js, merchant: uuid.New()}
	id := uuid.NewString()
	ack := e.publish(t, events.ChargeCreate, id, envelope(id, events.ChargeCreate, chargeData("ref-keep", "10.00")))
	cons, err := js.Consumer(t.Context(), events.StreamCommands, intake.ConsumerName)
	for deadline := time.Now().Add(20 * time.Second); ; {
		var info *jetstream.ConsumerInfo
		if err == nil {
			info, err = cons.Info(t.Context())
		}
		if err == nil && info.NumRedelivered >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not redelivered: %+v, %v", info, err)
		}
		time.Sleep(20 * time.Millisecond)
		if err != nil {
			cons, err = js.Consumer(t.Context(), events.StreamCommands, intake.ConsumerName)
		}
	}
	s, err := js.Stream(t.Context(), events.StreamCommands)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetMsg(t.Context(), ack.Sequence); err != nil {
		t.Fatalf("failed command erased: %v", err)
	}
}
