package executor

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

// waitHolder polls h until cond holds of its id, for at most 10 s.
func waitHolder(t *testing.T, h *holder, what string, cond func(id int32) bool) int32 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		id := h.id.Load()
		if cond(id) {
			return id
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: not within 10s (holder id %d)", what, id)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, with a deadline
	}
}

func lockHeld(t *testing.T, st *store.Store, id int32) bool {
	t.Helper()
	var held bool
	if err := st.Pool.QueryRow(t.Context(), `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
		AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 2 AND granted)`, store.HolderLockClass, id).Scan(&held); err != nil {
		t.Fatal(err)
	}
	return held
}

// TestHolderLost: an executor holds a holder lock before it claims; when
// the lock's session is lost it claims nothing until it holds a new lock,
// under a new id (other instances may be taking the old id's claims).
func TestHolderLost(t *testing.T) {
	t.Parallel()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 4)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	x := New(Config{}) // no engine: a claim that reached the store would panic
	if n, err := x.claimNamed(t.Context(), 10, make(chan struct{}, 10), &sync.WaitGroup{}); n != 0 || err != nil {
		t.Fatalf("claim without a holder lock = %d, %v; want nothing claimed", n, err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Go(func() { x.holder.run(ctx, st, x.wake, slog.New(slog.DiscardHandler)) })
	defer func() { cancel(); wg.Wait(); x.holder.close() }()
	first := waitHolder(t, &x.holder, "a holder lock", func(id int32) bool { return id != 0 })
	if !lockHeld(t, st, first) {
		t.Fatalf("holder %d: no session holds its lock", first)
	}

	var ok bool
	if err := st.Pool.QueryRow(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'
		AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 2`, store.HolderLockClass, first).Scan(&ok); err != nil || !ok {
		t.Fatalf("end the holder's session: %v %v", ok, err)
	}
	second := waitHolder(t, &x.holder, "a new holder lock", func(id int32) bool { return id != 0 && id != first })
	if !lockHeld(t, st, second) {
		t.Fatalf("new holder %d: no session holds its lock", second)
	}

	cancel()
	wg.Wait()
	x.holder.close()
	if id := x.holder.id.Load(); id != 0 {
		t.Fatalf("after close: holder id %d, want 0", id)
	}
	deadline := time.Now().Add(10 * time.Second)
	for lockHeld(t, st, second) { // the session ends a moment after its client closed it
		if time.Now().After(deadline) {
			t.Fatalf("holder %d's lock still held 10s after close", second)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
