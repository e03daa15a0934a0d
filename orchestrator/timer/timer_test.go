package timer_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/timer"
	"github.com/switchyard/switchyard/schema/schematest"
)

func TestMain(m *testing.M) { schematest.Main(m) }

type bundle struct {
	st  *store.Store
	eng *engine.Engine
	mid uuid.UUID
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, schematest.NewDB(t), 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	key := make([]byte, secret.KeySize)
	_, _ = rand.Read(key)
	sealer, err := secret.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	created, err := merchant.Create(ctx, st, sealer, merchant.Spec{Name: "Corner Shop", Providers: map[string]json.RawMessage{
		events.ProviderOnoConnect: json.RawMessage(`{"merchant_id":"` + uuid.NewString() + `","transaction_token":"tok"}`)}})
	if err != nil {
		t.Fatal(err)
	}
	return &bundle{st: st, eng: engine.New(engine.Config{Store: st, Sealer: sealer, Lifecycles: lifecycle.NewRegistry(charge.New(charge.Policy{}))}), mid: uuid.MustParse(created.ID)}
}

// charge creates a pending charge (no worker runs, so it stays pending).
func (b *bundle) charge(t *testing.T, ref string) uuid.UUID {
	t.Helper()
	data, _ := json.Marshal(map[string]any{"provider": "onoconnect", "amount": "10.00", "currency": "ZAR", "reference": ref,
		"payment_method": map[string]any{"type": "card", "card_number": "4111111111111111", "cvv": "123"}})
	out, err := b.eng.HandleCommand(t.Context(), b.mid, &events.Command{SpecVersion: "1.0", ID: "c-" + ref, Source: "test",
		Type: events.ChargeCreate, DataContentType: "application/json", Data: data})
	if err != nil || out.Rejected != nil {
		t.Fatalf("charge.create: %v %+v", err, out.Rejected)
	}
	return out.TransactionID
}

func (b *bundle) setTimer(t *testing.T, id uuid.UUID, due time.Time) {
	t.Helper()
	err := b.st.InTx(t.Context(), func(tx pgx.Tx) error {
		var batch store.Batch
		batch.TimerSet(b.mid, id, charge.TimerRetry, due, 0)
		return batch.Send(t.Context(), tx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// breakTimer makes every attempt to take txn's timers fail inside
// PostgreSQL, and counts the attempts in a sequence (sequences are not
// rolled back, so the count survives the failing transactions).
func (b *bundle) breakTimer(t *testing.T, id uuid.UUID) func() int64 {
	t.Helper()
	_, err := b.st.Pool.Exec(t.Context(), `CREATE SEQUENCE timer_failures;
		CREATE FUNCTION fail_timer() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN PERFORM nextval('timer_failures'); RAISE EXCEPTION 'injected timer failure'; END $$;
		CREATE TRIGGER fail_timer BEFORE DELETE ON timers FOR EACH ROW
		WHEN (OLD.transaction_id = '`+id.String()+`') EXECUTE FUNCTION fail_timer()`)
	if err != nil {
		t.Fatal(err)
	}
	return func() int64 {
		var n int64
		var called bool
		if err := b.st.Pool.QueryRow(context.Background(), `SELECT last_value, is_called FROM timer_failures`).Scan(&n, &called); err != nil {
			t.Fatal(err)
		}
		if !called {
			return 0
		}
		return n
	}
}

// TestFailingTimerBacksOff: a timer whose application keeps failing is
// retried a bounded number of times (its back-off is kept in the table), the
// loop does not spin on it, and the timers due after it still fire.
func TestFailingTimerBacksOff(t *testing.T) {
	b := setup(t)
	bad, good1, good2 := b.charge(t, "bad"), b.charge(t, "good-1"), b.charge(t, "good-2")
	now := time.Now()
	b.setTimer(t, bad, now.Add(-time.Hour)) // earliest: first in every batch
	b.setTimer(t, good1, now.Add(-time.Minute))
	b.setTimer(t, good2, now.Add(-time.Minute))
	attempts := b.breakTimer(t, bad)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- timer.New(timer.Config{Engine: b.eng, Poll: 20 * time.Millisecond, Batch: 1}).Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()

	for deadline := time.Now().Add(5 * time.Second); ; {
		due, err := b.st.TimersDue(t.Context(), time.Now().Add(2*time.Minute), 10)
		if err != nil {
			t.Fatal(err)
		}
		if !hasTimer(due, good1) && !hasTimer(due, good2) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("timers due after a failing one did not fire within 5s (failing one tried %d times)", attempts())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for time.Since(start) < 1500*time.Millisecond { // watch the failing timer for a while
		if n := attempts(); n > 3 {
			t.Fatalf("failing timer tried %d times in %v", n, time.Since(start))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := attempts(); n < 1 {
		t.Fatal("failing timer never tried")
	}
	due, err := b.st.TimersDue(t.Context(), time.Now(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if hasTimer(due, bad) {
		t.Fatal("failing timer is still due now: its back-off is not kept in the table")
	}
	if later, _ := b.st.TimersDue(t.Context(), time.Now().Add(time.Hour), 10); !hasTimer(later, bad) {
		t.Fatal("failing timer lost: it must fire again later")
	}
}

func hasTimer(ts []store.Timer, id uuid.UUID) bool {
	for _, t := range ts {
		if t.OwnerID == id {
			return true
		}
	}
	return false
}
