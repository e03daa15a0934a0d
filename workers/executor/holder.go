package executor

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// HolderEvery is how often an executor checks that it still holds its
// holder lock and makes the claims of gone holders available (also once at
// start, before its first claim).
const HolderEvery = time.Second

// holderTimeout bounds one check of the lock, and the opening of a new one.
const holderTimeout = 5 * time.Second

// holder names this executor's claims: a store.Holder (an advisory lock on
// a connection of its own) while it lives. When the lock is lost (the
// connection broke, the server ended the session), other instances may take
// its claims again at once, so the executor claims nothing until it holds a
// new lock, under a new id. Claims made under the old id are fenced by
// their next claim; a charge already marked sent is then reversed by
// reference, never repeated.
type holder struct {
	mu  sync.Mutex
	cur *store.Holder
	id  atomic.Int32 // the lock held, 0 when none: claim nothing
}

// run keeps a holder lock and runs the pass over gone holders' claims,
// every HolderEvery, until ctx ends. The lock itself is kept until close,
// after the calls in flight have finished: their claims stay named.
func (h *holder) run(ctx context.Context, st *store.Store, wake chan<- struct{}, log *slog.Logger) {
	tick := time.NewTicker(HolderEvery)
	defer tick.Stop()
	for {
		if h.keep(ctx, st, log) {
			signal(wake) // a new lock: claim now
		}
		h.reclaim(ctx, st, wake, log)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// keep checks the lock, and takes a new one when there is none; it reports
// whether it took one.
func (h *holder) keep(ctx context.Context, st *store.Store, log *slog.Logger) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur != nil {
		cctx, cancel := context.WithTimeout(ctx, holderTimeout)
		err := h.cur.Check(cctx)
		cancel()
		if err == nil || ctx.Err() != nil {
			return false
		}
		h.id.Store(0) // first of all: claim nothing more under this id
		log.Warn("holder lock lost; claiming nothing until a new one is held", "holder", h.cur.ID, "err", err)
		h.closeLocked()
	}
	octx, cancel := context.WithTimeout(ctx, holderTimeout)
	cur, err := st.HolderOpen(octx)
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			log.Warn("could not take a holder lock; claiming nothing until one is held", "err", err)
		}
		return false
	}
	h.cur = cur
	h.id.Store(cur.ID)
	log.Debug("holder lock taken", "holder", cur.ID)
	return true
}

// reclaim makes the claims of gone holders available now.
func (h *holder) reclaim(ctx context.Context, st *store.Store, wake chan<- struct{}, log *slog.Logger) {
	n, err := st.WorkReclaimOrphans(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		log.Warn("could not release the claims of gone holders; their leases will", "err", err)
	case n > 0:
		log.Info("claims of gone holders made available", "count", n)
		signal(wake)
	}
}

// claimNamed claims under this executor's holder lock, and nothing while it
// holds none: a claim it could not name would wait for its lease after a
// crash, and one named by a lost lock may be taken by others at once.
func (x *Executor) claimNamed(ctx context.Context, free int, slots chan struct{}, wg *sync.WaitGroup) (int, error) {
	holder := x.holder.id.Load()
	if holder == 0 {
		return 0, nil
	}
	return x.claim(ctx, holder, free, slots, wg)
}

// close releases the lock (ending its session).
func (h *holder) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.id.Store(0)
	h.closeLocked()
}

func (h *holder) closeLocked() {
	if h.cur == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), holderTimeout)
	defer cancel()
	_ = h.cur.Close(ctx) // a lost connection is already closed; either way the session ends
	h.cur = nil
}

func signal(wake chan<- struct{}) {
	select {
	case wake <- struct{}{}:
	default:
	}
}
