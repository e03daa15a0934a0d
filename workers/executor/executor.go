package executor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// LeaseFor is how long a claimed work item stays with its worker before
// another may claim it: longer than the longest provider call (the client
// time-out) plus the commit of its result, short enough that the work of a
// crashed worker is picked up in seconds.
func LeaseFor(providerTimeout time.Duration) time.Duration {
	return max(2*providerTimeout+5*time.Second, 10*time.Second)
}

// retryDelay is how long a work item whose result could not be committed
// (database down) waits before it is claimed again.
const retryDelay = 2 * time.Second

// Connector carries out one provider's operations for charges.
type Connector interface {
	// Call performs w's operation for t and classifies the outcome.
	Call(ctx context.Context, t *store.Txn, w store.WorkItem) charge.Result
}

// Config configures the executor.
type Config struct {
	Engine      *engine.Engine
	Connectors  map[string]Connector // by provider name
	Log         *slog.Logger
	Concurrency int           // calls in flight (default 64)
	Lease       time.Duration // see LeaseFor (default LeaseFor(10s))
	Poll        time.Duration // fallback polling interval (default 500ms)
}

// Executor runs work items.
type Executor struct {
	cfg     Config
	wake    chan struct{}
	starved atomic.Bool // every slot busy: a finishing call should wake the claimer
}

// New returns an Executor.
func New(cfg Config) *Executor {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 64
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Lease <= 0 {
		cfg.Lease = LeaseFor(10 * time.Second)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 500 * time.Millisecond
	}
	return &Executor{cfg: cfg, wake: make(chan struct{}, 1)}
}

// Run claims and carries out work until ctx ends, then waits for the calls
// in flight. Those run to their end (bounded by the provider time-out) and
// commit their results: cancelling a charge call mid-flight would leave its
// outcome unknown and force a reversal of a charge that may have succeeded.
func (x *Executor) Run(ctx context.Context) error {
	st := x.cfg.Engine.Store()
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { st.Listen(ctx, store.WorkChannel, x.wake, x.cfg.Log) })
	slots := make(chan struct{}, x.cfg.Concurrency)
	for ctx.Err() == nil {
		free := cap(slots) - len(slots)
		n, err := x.claim(ctx, free, slots, &wg)
		if err != nil && ctx.Err() == nil {
			x.cfg.Log.Warn("claiming work failed", "err", err)
		}
		if n > 0 && n == free {
			continue // there may be more
		}
		x.starved.Store(free == 0)
		select {
		case <-ctx.Done():
		case <-x.wake:
		case <-time.After(x.cfg.Poll):
		}
	}
	return nil
}

// claim takes up to free items and starts them.
func (x *Executor) claim(ctx context.Context, free int, slots chan struct{}, wg *sync.WaitGroup) (int, error) {
	if free == 0 {
		return 0, nil
	}
	items, err := x.cfg.Engine.Store().WorkClaim(ctx, free, x.cfg.Lease)
	if err != nil {
		return 0, err
	}
	for _, w := range items {
		slots <- struct{}{}
		wg.Go(func() {
			defer x.release(slots)
			x.handle(context.WithoutCancel(ctx), w)
		})
	}
	return len(items), nil
}

func (x *Executor) release(slots chan struct{}) {
	<-slots
	if x.starved.CompareAndSwap(true, false) {
		select {
		case x.wake <- struct{}{}:
		default:
		}
	}
}

func (x *Executor) handle(ctx context.Context, w store.WorkItem) {
	if err := x.run(ctx, w); err != nil {
		if ctx.Err() != nil {
			return // shutting down: the lease runs out and it is claimed again
		}
		x.cfg.Log.Warn("work item failed; will be retried", "transaction", w.TransactionID, "op", w.Op,
			"attempt", w.Attempt, "err", err)
		_ = x.cfg.Engine.Store().WorkRelease(ctx, w.ID, retryDelay)
	}
}

// run carries out one work item and commits its result.
func (x *Executor) run(ctx context.Context, w store.WorkItem) error {
	st := x.cfg.Engine.Store()
	t, err := st.TransactionGetAny(ctx, w.TransactionID)
	if errors.Is(err, store.ErrNotFound) {
		return st.WorkDone(ctx, w.ID)
	}
	if err != nil {
		return err
	}
	if t.Version != w.Version || (w.Op == charge.OpCharge && t.Status != events.StatusPending) {
		return st.WorkDone(ctx, w.ID) // the transaction has moved on: this work is stale
	}
	conn, ok := x.cfg.Connectors[w.Provider]
	if !ok {
		return fmt.Errorf("no connector for provider %q", w.Provider)
	}
	var res charge.Result
	if w.Op == charge.OpCharge && w.Attempt > 1 {
		x.cfg.Log.Warn("charge call may already have been made; not repeating it", "transaction", t.ID, "attempt", w.Attempt)
		res = charge.Result{Op: charge.OpCharge, Outcome: charge.Unknown, Message: "an earlier attempt may have reached the provider"}
	} else {
		res = conn.Call(ctx, t, w)
		metrics.Default.Inc("switchyard_provider_calls_total", "provider", w.Provider, "op", w.Op, "outcome", outcomeName(res.Outcome))
	}
	return x.cfg.Engine.ApplyWork(ctx, w.ID, t.ID, res)
}

func outcomeName(o charge.Outcome) string {
	switch o {
	case charge.OK:
		return "ok"
	case charge.Declined:
		return "declined"
	case charge.Failed:
		return "failed"
	case charge.Unknown:
		return "unknown"
	case charge.RetryLater:
		return "retry_later"
	case charge.NotFound:
		return "not_found"
	}
	return "other"
}
