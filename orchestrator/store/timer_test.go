package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// take runs TimerTake in its own transaction.
func (b *bundle) take(t *testing.T, merchant, owner uuid.UUID, kind string, now time.Time) bool {
	t.Helper()
	var taken bool
	err := b.st.InTx(t.Context(), func(tx pgx.Tx) error {
		var err error
		taken, err = store.TimerTake(t.Context(), tx, merchant, owner, kind, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return taken
}

// TestTimerTake: a timer is taken only once it is due, only once, and only
// by its merchant; timers of a transaction and of a merchant alike.
func TestTimerTake(t *testing.T) {
	t.Parallel()
	b := setup(t)
	txn := b.newTxn(t, nil)
	due := time.Now().UTC().Truncate(time.Microsecond).Add(time.Hour)
	other := b.newMerchant(t)
	for _, tc := range []struct {
		name  string
		owner uuid.UUID
		set   func(*store.Batch)
	}{
		{"transaction's", txn.ID, func(batch *store.Batch) { batch.TimerSet(b.merchant, txn.ID, "deadline", due, 1) }},
		{"merchant's", b.merchant, func(batch *store.Batch) {
			batch.OwnerTimerSet(b.merchant, store.OwnerMerchant, b.merchant, "cutoff", due, 0)
		}},
	} {
		if err := b.send(t, tc.set); err != nil {
			t.Fatalf("%s: set: %v", tc.name, err)
		}
		timers, err := b.st.TimersDue(t.Context(), due, 10)
		if err != nil || len(timers) != 1 {
			t.Fatalf("%s: due timers %+v, %v; want one", tc.name, timers, err)
		}
		kind := timers[0].Kind
		if timers[0].OwnerID != tc.owner || timers[0].MerchantID != b.merchant {
			t.Errorf("%s: timer %+v, want owner %s", tc.name, timers[0], tc.owner)
		}
		if b.take(t, b.merchant, tc.owner, kind, due.Add(-time.Microsecond)) {
			t.Errorf("%s: taken before it was due", tc.name)
		}
		if b.take(t, other, tc.owner, kind, due) {
			t.Errorf("%s: taken by another merchant", tc.name)
		}
		if !b.take(t, b.merchant, tc.owner, kind, due) {
			t.Errorf("%s: not taken when due", tc.name)
		}
		if b.take(t, b.merchant, tc.owner, kind, due.Add(time.Hour)) {
			t.Errorf("%s: taken twice", tc.name)
		}
	}
}

// TestTimerPostponeGuarded: a postponement applies only to the timer as it
// was read: not once it was postponed, set anew or taken.
func TestTimerPostponeGuarded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	txn := b.newTxn(t, nil)
	due := time.Now().UTC().Truncate(time.Microsecond)
	next := due.Add(time.Minute)
	set := func(at time.Time) {
		if err := b.send(t, func(batch *store.Batch) { batch.TimerSet(b.merchant, txn.ID, "retry", at, 2) }); err != nil {
			t.Fatal(err)
		}
	}
	read := func(now time.Time) store.Timer {
		timers, err := b.st.TimersDue(t.Context(), now, 10)
		if err != nil || len(timers) != 1 {
			t.Fatalf("due timers %+v, %v; want one", timers, err)
		}
		return timers[0]
	}
	postpone := func(tm store.Timer) bool {
		ok, err := b.st.TimerPostpone(t.Context(), tm, next)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	set(due)
	first := read(due)
	if !postpone(first) {
		t.Fatal("postponing the timer as read: refused")
	}
	if got := read(next); !got.DueAt.Equal(next) || got.Failures != 1 || got.Attempt != 2 {
		t.Errorf("postponed timer %+v, want due %v with 1 failure", got, next)
	}
	if postpone(first) {
		t.Error("a stale read postponed the timer a second time")
	}

	postponed := read(next)
	set(next) // set anew: same due time, failures back to 0
	if postpone(postponed) {
		t.Error("a read from before the timer was set anew postponed it")
	}
	if got := read(next); got.Failures != 0 {
		t.Errorf("timer set anew has %d failures, want 0", got.Failures)
	}

	current := read(next)
	if !b.take(t, b.merchant, txn.ID, "retry", next) {
		t.Fatal("timer not taken")
	}
	if postpone(current) {
		t.Error("a taken timer was postponed")
	}
	if n := b.count(t, `SELECT count(*) FROM timers`); n != 0 {
		t.Errorf("%d timers left, want none", n)
	}
}
