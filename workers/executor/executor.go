package executor

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v4"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/tracing"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/provider"
)

// LeaseFor is how long a claimed work item stays with its worker before
// another may claim it: longer than the longest provider call (the client
// time-out) plus the commit of its result, short enough that the work of a
// crashed worker is picked up in seconds.
func LeaseFor(providerTimeout time.Duration) time.Duration {
	return max(2*providerTimeout+5*time.Second, 10*time.Second)
}

// MetricCommitRetries counts provider results whose commit failed and was
// retried (the database down or a row lock held): the known result is kept
// and committed later, never dropped.
const MetricCommitRetries = "switchyard_work_commit_retries_total"

// Config configures the executor.
type Config struct {
	Engine      *engine.Engine
	Connectors  *connector.Registry
	Log         *slog.Logger
	Concurrency int           // calls in flight (default 64)
	Lease       time.Duration // see LeaseFor (default LeaseFor(10s))
	Poll        time.Duration // fallback polling interval (default 500ms)
	// TracerProvider makes each call's span "provider <provider> <op>",
	// continuing the trace its transaction keeps (default: no spans).
	TracerProvider trace.TracerProvider
}

// Executor runs work items.
type Executor struct {
	cfg     Config
	tracer  trace.Tracer
	wake    chan struct{}
	starved atomic.Bool // every slot busy: a finishing call should wake the claimer
	holder  holder      // names the claims (holder.go)
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
	return &Executor{cfg: cfg, tracer: tracing.Tracer(cfg.TracerProvider), wake: make(chan struct{}, 1)}
}

// Run claims and carries out work until ctx ends, then waits for the calls
// in flight. Those run to their end (bounded by the provider time-out) and
// commit their results: cancelling a charge call mid-flight would leave its
// outcome unknown and force a reversal of a charge that may have succeeded.
func (x *Executor) Run(ctx context.Context) error {
	st := x.cfg.Engine.Store()
	defer x.holder.close() // after the calls in flight (deferred below): their claims stay named
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { st.Listen(ctx, store.WorkChannel, x.wake, x.cfg.Log) })
	wg.Go(func() { x.holder.run(ctx, st, x.wake, x.cfg.Log) })
	slots := make(chan struct{}, x.cfg.Concurrency)
	for ctx.Err() == nil {
		free := cap(slots) - len(slots)
		n, err := x.claimNamed(ctx, free, slots, &wg)
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

// RunOnce claims the work available now (up to Concurrency items), carries
// it out and waits for it to finish; it returns how many items it ran. Run
// does the same in a loop, woken by new work; RunOnce lets a test run one
// pass at a time. Its claims name no holder (a step-by-step caller has no
// crash to recover from): they wait for their lease.
func (x *Executor) RunOnce(ctx context.Context) (int, error) {
	var wg sync.WaitGroup
	defer wg.Wait()
	return x.claim(ctx, 0, x.cfg.Concurrency, make(chan struct{}, x.cfg.Concurrency), &wg)
}

// claim takes up to free items for holder (0: none) and starts them.
func (x *Executor) claim(ctx context.Context, holder int32, free int, slots chan struct{}, wg *sync.WaitGroup) (int, error) {
	if free == 0 {
		return 0, nil
	}
	claimed := time.Now()
	items, err := x.cfg.Engine.Store().WorkClaim(ctx, store.WorkProviderCall, free, x.cfg.Lease, holder)
	if err != nil {
		return 0, err
	}
	for _, w := range items {
		slots <- struct{}{}
		wg.Go(func() {
			defer x.release(slots)
			c := claim{WorkItem: w, until: claimed.Add(x.cfg.Lease)}
			x.run(context.WithoutCancel(ctx), c)
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

// claim is a work item held by this worker until its lease runs out.
type claim struct {
	store.WorkItem
	until time.Time
}

// run carries out one claimed work item and commits its result, applying
// its operation's recovery rule when an earlier attempt may have reached the
// provider.
func (x *Executor) run(ctx context.Context, c claim) {
	log := x.cfg.Log.With("transaction", c.TransactionID, "provider", c.Provider, "op", c.Op, "attempt", c.Attempt)
	conn, op, ok := x.cfg.Connectors.Op(c.Provider, c.Op)
	if !ok {
		log.Error("no connector operation for this work; will retry")
		x.handBack(ctx, c, true)
		return
	}
	call := op.Call
	if c.SentAttempt > 0 || c.Recover {
		switch op.Recovery {
		case connector.ReverseByReference, connector.ReportUnknown:
			log.Warn("call may already have been made by an earlier attempt; not repeating it", "sent_by", c.SentAttempt)
			x.commit(ctx, c, lifecycle.Result{Op: c.Op, Outcome: lifecycle.Unknown,
				Message: "an earlier attempt may have reached the provider"}, nil, log)
			return
		case connector.QueryFirst, connector.RetrySameID:
			log.Info("an earlier attempt may have reached the provider; recovering by its rule", "rule", op.Recovery, "sent_by", c.SentAttempt, "recover", c.Recover)
			call = op.Recover
		}
	}
	if conn.Prepare != nil {
		if err := conn.Prepare(ctx, c.MerchantID); err != nil {
			log.Warn("local failure before the call; nothing was sent, will retry", "err", err)
			x.handBack(ctx, c, false)
			return
		}
	}
	t, err := x.begin(ctx, c, op.Recovery)
	if errors.Is(err, store.ErrLeaseLost) {
		log.Debug("work item no longer ours (cancelled, done or re-claimed); not calling")
		return
	}
	if err != nil { // whether or not "sent" was recorded, nothing was sent
		log.Warn("could not record the call as sent; will retry", "err", err)
		x.handBack(ctx, c, true)
		return
	}
	if !x.cfg.Engine.Wants(t, c.Op) {
		_ = x.cfg.Engine.Store().WorkDone(ctx, c.WorkItem) // the transaction has moved on
		return
	}
	ctx, span := x.startSpan(ctx, c, t)
	defer span.End()
	x.call(ctx, c, t, call, log)
}

// startSpan starts the span of c's call, the child of the traceparent its
// transaction keeps (the command's that asked for it).
func (x *Executor) startSpan(ctx context.Context, c claim, t *store.Txn) (context.Context, trace.Span) {
	ctx = tracing.WithTraceParent(ctx, engine.TraceParent(t))
	return x.tracer.Start(ctx, "provider "+c.Provider+" "+c.Op, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.Int("switchyard.attempt", c.Attempt)))
}

// call makes the provider call of c and commits its result.
func (x *Executor) call(ctx context.Context, c claim, t *store.Txn, call connector.Func, log *slog.Logger) {
	rctx, rec := provider.Record(ctx)
	started := time.Now()
	res, err := call(rctx, connector.Call{Txn: t, Work: c.WorkItem})
	latency := time.Since(started)
	if err != nil {
		log.WarnContext(ctx, "local failure before the call; nothing was sent, will retry", "err", err)
		x.handBack(ctx, c, true)
		return
	}
	outcome := res.Outcome.String()
	metrics.Default.Inc("switchyard_provider_calls_total", "provider", c.Provider, "op", c.Op, "outcome", outcome)
	observeCall(c.Provider, c.Op, outcome, latency)
	log.DebugContext(ctx, "provider call", "outcome", outcome, "code", res.Code, "latency", latency)
	pc := &store.ProviderCall{MerchantID: c.MerchantID, TransactionID: c.TransactionID, Provider: c.Provider,
		Operation: c.Op, Attempt: c.Attempt, StartedAt: started, Latency: latency, Outcome: outcome,
		Code: res.Code, Exchanges: rec.Exchanges()}
	x.commit(ctx, c, res, pc, log)
}

// begin checks the claim is still ours and reads the transaction, in one
// round trip. A call whose rule needs to know it may have happened is
// recorded as sent in the same statement; one that is simply repeated needs
// no record (and no commit).
func (x *Executor) begin(ctx context.Context, c claim, r connector.Recovery) (*store.Txn, error) {
	if r.MarksSent() {
		return x.cfg.Engine.Store().WorkBegin(ctx, c.WorkItem)
	}
	return x.cfg.Engine.Store().WorkCheck(ctx, c.WorkItem)
}

// retryUntil retries op with back-off until it succeeds, returns a
// permanent error, or deadline passes.
func retryUntil(ctx context.Context, deadline time.Time, op func() error) error {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = 100*time.Millisecond, 2*time.Second, max(time.Until(deadline), time.Millisecond)
	return backoff.Retry(op, backoff.WithContext(b, ctx))
}

func permanentIf(err, target error) error {
	if errors.Is(err, target) {
		return backoff.Permanent(err)
	}
	return err
}

// commit applies res with the end of its work item. The known result is
// kept in memory and retried while the lease lasts: dropping it would make
// the next claim treat a call with a known outcome as unknown. When the
// lease was lost, a result that is a provider fact (approved, declined) is
// still recorded, as a late input.
func (x *Executor) commit(ctx context.Context, c claim, res lifecycle.Result, call *store.ProviderCall, log *slog.Logger) {
	err := retryUntil(ctx, c.until, func() error {
		err := x.cfg.Engine.ApplyWork(ctx, c.WorkItem, res, call)
		if err != nil && !errors.Is(err, store.ErrLeaseLost) {
			metrics.Default.Inc(MetricCommitRetries)
			log.WarnContext(ctx, "could not commit the result; retrying", "outcome", res.Outcome.String(), "err", err)
		}
		return permanentIf(err, store.ErrLeaseLost)
	})
	switch {
	case err == nil:
	case errors.Is(err, store.ErrLeaseLost):
		x.recordLate(ctx, call, log)
		x.late(ctx, c, res, log)
	default:
		log.ErrorContext(ctx, "result not committed before the lease ran out; the next claim recovers the call by its rule",
			"outcome", res.Outcome.String(), "err", err)
	}
}

// recordLate writes the record of a call whose result could not commit with
// its work item (the lease was lost): the call was made all the same.
func (x *Executor) recordLate(ctx context.Context, call *store.ProviderCall, log *slog.Logger) {
	if call == nil {
		return
	}
	err := retryUntil(ctx, time.Now().Add(time.Minute), func() error {
		return x.cfg.Engine.Store().ProviderCallRecord(ctx, *call)
	})
	if err != nil {
		log.ErrorContext(ctx, "could not record a provider call whose lease was lost", "outcome", call.Outcome, "err", err)
	}
}

// late records a provider fact that arrived after this worker lost its
// claim. Outcomes that say nothing for certain are left to the claim that
// holds the work now.
func (x *Executor) late(ctx context.Context, c claim, res lifecycle.Result, log *slog.Logger) {
	if !res.Outcome.Fact() {
		log.InfoContext(ctx, "lease lost; result left to the current claim", "outcome", res.Outcome.String())
		return
	}
	log.WarnContext(ctx, "lease lost before the result committed; recording it as a late provider fact", "outcome", res.Outcome.String())
	err := retryUntil(ctx, time.Now().Add(time.Minute), func() error {
		return x.cfg.Engine.Apply(ctx, c.MerchantID, c.TransactionID, res)
	})
	if err != nil {
		log.ErrorContext(ctx, "could not record a late provider fact", "outcome", res.Outcome.String(), "err", err)
	}
}

// handBack returns a claimed item for a later claim, with a delay growing
// with its attempts. unsent records that this attempt sent nothing.
func (x *Executor) handBack(ctx context.Context, c claim, unsent bool) {
	delay := min(time.Second<<min(c.Attempt, 9), 5*time.Minute)
	err := retryUntil(ctx, c.until, func() error {
		return permanentIf(x.cfg.Engine.Store().WorkRelease(ctx, c.WorkItem, delay, unsent), store.ErrLeaseLost)
	})
	if err != nil && !errors.Is(err, store.ErrLeaseLost) {
		x.cfg.Log.Error("could not hand a work item back", "transaction", c.TransactionID, "err", err)
	}
}

// observeCall records a provider call's latency (histogram by provider,
// operation and outcome: bounded labels).
func observeCall(provider, op, outcome string, latency time.Duration) {
	metrics.Default.Observe(metrics.ProviderCallSeconds, latency.Seconds(), "provider", provider, "operation", op, "outcome", outcome)
}
