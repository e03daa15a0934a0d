package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

const testLease = time.Hour // a lease that never runs out within a test

// holderBundle is a migrated database with one queued work item.
type holderBundle struct {
	st  *store.Store
	txn uuid.UUID
}

func holderSetup(t *testing.T) holderBundle {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, schematest.NewDB(t), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	mid, txn := uuid.New(), uuid.New()
	if err := st.MerchantCreate(ctx, &store.MerchantCreateParams{ID: mid, Name: "Shop", APIKeyHash: []byte(mid.String()),
		APIKeyPrefix: "sk_test", WebhookSecret: []byte{0}}); err != nil {
		t.Fatal(err)
	}
	err = st.InTx(ctx, func(tx pgx.Tx) error {
		var b store.Batch
		b.TransactionInsert(&store.Txn{ID: txn, MerchantID: mid, Type: "charge", Status: "pending", Provider: "onoconnect",
			Amount: decimal.RequireFromString("10.00"), Currency: "ZAR", Version: 1, CreatedAt: time.Now()})
		b.WorkInsert(store.WorkItem{TransactionID: txn, MerchantID: mid, Provider: "onoconnect", Op: "charge", ByReference: false, Version: 1})
		return b.Send(ctx, tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return holderBundle{st: st, txn: txn}
}

func (hb holderBundle) open(t *testing.T) *store.Holder {
	t.Helper()
	h, err := hb.st.HolderOpen(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	return h
}

// claim claims the work item for holder and checks it got it.
func (hb holderBundle) claim(t *testing.T, holder int32, wantAttempt int) store.WorkItem {
	t.Helper()
	items, err := hb.st.WorkClaim(t.Context(), store.WorkProviderCall, 10, testLease, holder)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Attempt != wantAttempt {
		t.Fatalf("claimed %+v, want the one item at attempt %d", items, wantAttempt)
	}
	return items[0]
}

// holderPID is the backend pid holding h's lock.
func (hb holderBundle) holderPID(t *testing.T, h *store.Holder) int32 {
	t.Helper()
	var pid int32
	if err := hb.st.Pool.QueryRow(t.Context(), `SELECT pid FROM pg_locks WHERE locktype = 'advisory'
		AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 2 AND granted`, store.HolderLockClass, h.ID).Scan(&pid); err != nil {
		t.Fatalf("holder %d's lock: %v", h.ID, err)
	}
	return pid
}

// waitGone waits until no session holds h's lock any more: a backend ends
// a moment after its client closed or it was terminated.
func (hb holderBundle) waitGone(t *testing.T, h *store.Holder) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var held bool
		if err := hb.st.Pool.QueryRow(t.Context(), `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
			AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 2)`, store.HolderLockClass, h.ID).Scan(&held); err != nil {
			t.Fatal(err)
		}
		if !held {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("holder %d's lock still held 10s after its session ended", h.ID)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, with a deadline
	}
}

// ends are the ways a holder's session goes: its process closes the
// connection (or dies: the kernel closes it), or the server ends it (a dead
// host whose keepalives went unanswered; an administrator).
var ends = []struct {
	name string
	end  func(t *testing.T, hb holderBundle, h *store.Holder)
}{
	{"closed", func(t *testing.T, _ holderBundle, h *store.Holder) {
		if err := h.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
	}},
	{"terminated", func(t *testing.T, hb holderBundle, h *store.Holder) {
		var ok bool
		if err := hb.st.Pool.QueryRow(t.Context(), `SELECT pg_terminate_backend($1)`, hb.holderPID(t, h)).Scan(&ok); err != nil || !ok {
			t.Fatalf("pg_terminate_backend: %v %v", ok, err)
		}
	}},
}

// TestWorkReclaimOrphansGoneHolder: a claim whose holder's session is gone
// is made available by one pass, at once, not when its lease (an hour) runs
// out; the next claim fences the gone holder, whose writes then all fail.
func TestWorkReclaimOrphansGoneHolder(t *testing.T) {
	t.Parallel()
	for _, tc := range ends {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hb := holderSetup(t)
			ctx := t.Context()
			gone := hb.open(t)
			stale := hb.claim(t, gone.ID, 1)
			tc.end(t, hb, gone)
			hb.waitGone(t, gone)

			n, err := hb.st.WorkReclaimOrphans(ctx)
			if err != nil || n != 1 {
				t.Fatalf("WorkReclaimOrphans = %d, %v; want 1 claim of a gone holder made available", n, err)
			}
			live := hb.open(t)
			now := hb.claim(t, live.ID, 2)

			var b store.Batch
			b.WorkFinish(stale)
			if err := hb.st.InTx(ctx, func(tx pgx.Tx) error { return b.Send(ctx, tx) }); !errors.Is(err, store.ErrLeaseLost) {
				t.Errorf("stale WorkFinish = %v, want ErrLeaseLost", err)
			}
			if err := hb.st.WorkRelease(ctx, stale, 0, true); !errors.Is(err, store.ErrLeaseLost) {
				t.Errorf("stale WorkRelease = %v, want ErrLeaseLost", err)
			}
			if _, err := hb.st.WorkBegin(ctx, stale); !errors.Is(err, store.ErrLeaseLost) {
				t.Errorf("stale WorkBegin = %v, want ErrLeaseLost", err)
			}
			if _, err := hb.st.WorkBegin(ctx, now); err != nil {
				t.Errorf("WorkBegin of the claim made again = %v, want it to hold", err)
			}
			if n, err := hb.st.WorkReclaimOrphans(ctx); err != nil || n != 0 {
				t.Errorf("WorkReclaimOrphans after the claim was made again by a live holder = %d, %v; want 0", n, err)
			}
		})
	}
}

// TestWorkReclaimOrphansKeeps: a pass leaves alone the claims it must not
// shorten: a live holder's, a claim naming no holder, and an item handed
// back for later by a holder that is gone since.
func TestWorkReclaimOrphansKeeps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, hb holderBundle)
	}{
		{"live holder", func(t *testing.T, hb holderBundle) {
			hb.claim(t, hb.open(t).ID, 1)
		}},
		{"no holder", func(t *testing.T, hb holderBundle) {
			hb.claim(t, 0, 1)
		}},
		{"handed back by a gone holder", func(t *testing.T, hb holderBundle) {
			h := hb.open(t)
			w := hb.claim(t, h.ID, 1)
			if err := hb.st.WorkRelease(t.Context(), w, testLease, true); err != nil {
				t.Fatal(err)
			}
			if err := h.Close(t.Context()); err != nil {
				t.Fatal(err)
			}
			hb.waitGone(t, h)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hb := holderSetup(t)
			tc.setup(t, hb)
			if n, err := hb.st.WorkReclaimOrphans(t.Context()); err != nil || n != 0 {
				t.Fatalf("WorkReclaimOrphans = %d, %v; want 0", n, err)
			}
			if items, err := hb.st.WorkClaim(t.Context(), store.WorkProviderCall, 10, testLease, 0); err != nil || len(items) != 0 {
				t.Fatalf("claimed %+v (%v) after the pass; want nothing available", items, err)
			}
		})
	}
}

// TestHolderCheck: a holder knows when its session is gone.
func TestHolderCheck(t *testing.T) {
	t.Parallel()
	hb := holderSetup(t)
	h := hb.open(t)
	if err := h.Check(t.Context()); err != nil {
		t.Fatalf("Check of a live holder = %v", err)
	}
	ends[1].end(t, hb, h) // terminated by the server
	if err := h.Check(t.Context()); err == nil {
		t.Fatal("Check after the server ended the holder's session = nil, want an error")
	}
}
