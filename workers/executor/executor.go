package executor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Consumer settings.
const (
	ConsumerName = "switchyard-workers"
	MaxDeliver   = 10
)

// AckWaitFor is how long a work item may stay unacknowledged before it is
// handed to another worker: longer than the longest provider call (the
// client time-out) plus the commit of its result, so that a slow call is
// never made twice at once; short enough that the work of a crashed worker
// is picked up quickly.
func AckWaitFor(providerTimeout time.Duration) time.Duration {
	return max(2*providerTimeout+5*time.Second, 10*time.Second)
}

// retryDelay is how long a work item whose result could not be committed
// (database down) waits before it is delivered again.
const retryDelay = 2 * time.Second

// Connector carries out one provider's operations for charges.
type Connector interface {
	// Call performs op for t and classifies the outcome.
	Call(ctx context.Context, t *store.Txn, w engine.WorkItem) charge.Result
}

// Config configures the executor.
type Config struct {
	Engine      *engine.Engine
	JetStream   jetstream.JetStream
	Connectors  map[string]Connector // by provider name
	Log         *slog.Logger
	Concurrency int           // calls in flight (default 128)
	AckWait     time.Duration // see AckWaitFor (default AckWaitFor(10s))
}

// Executor runs work items.
type Executor struct {
	cfg   Config
	calls atomic.Int64
}

// New returns an Executor.
func New(cfg Config) *Executor {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 128
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = AckWaitFor(10 * time.Second)
	}
	return &Executor{cfg: cfg}
}

// Calls counts provider calls made.
func (x *Executor) Calls() int64 { return x.calls.Load() }

// ConsumerConfig is the durable work consumer's configuration. BackOff is
// ackWait at every step: nats-server uses BackOff[0] in place of AckWait and
// measures a NakWithDelay from the delivery's BackOff step, so a growing
// schedule would stretch retryDelay (see intake.BackOff).
func ConsumerConfig(ackWait time.Duration) jetstream.ConsumerConfig {
	backOff := make([]time.Duration, MaxDeliver-1)
	for i := range backOff {
		backOff[i] = ackWait
	}
	return jetstream.ConsumerConfig{
		Durable: ConsumerName, AckPolicy: jetstream.AckExplicitPolicy, AckWait: ackWait,
		MaxDeliver: MaxDeliver, BackOff: backOff,
		FilterSubject: broker.WorkSubject,
		MaxAckPending: 4096,
	}
}

// Run consumes work until ctx ends.
func (x *Executor) Run(ctx context.Context) error {
	return broker.ConsumePool(ctx, x.cfg.JetStream, broker.StreamWork, ConsumerConfig(x.cfg.AckWait), x.cfg.Concurrency, x.handle)
}

func (x *Executor) handle(ctx context.Context, m jetstream.Msg) {
	var w engine.WorkItem
	if err := json.Unmarshal(m.Data(), &w); err != nil || w.TransactionID == uuid.Nil {
		x.cfg.Log.Error("malformed work item terminated", "subject", m.Subject(), "err", err)
		_ = m.Term()
		return
	}
	if err := x.run(ctx, w); err != nil {
		if ctx.Err() != nil {
			return // shutting down: redelivered later
		}
		x.cfg.Log.Warn("work item failed; will be redelivered", "transaction", w.TransactionID, "op", w.Op, "err", err)
		_ = m.NakWithDelay(retryDelay)
		return
	}
	_ = m.DoubleAck(ctx)
}

// run carries out one work item and commits its result.
func (x *Executor) run(ctx context.Context, w engine.WorkItem) error {
	t, err := x.cfg.Engine.Store().TransactionGetAny(ctx, w.TransactionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if t.Version != w.Version {
		return nil // the transaction has moved on: this work is stale
	}
	conn, ok := x.cfg.Connectors[w.Provider]
	if !ok {
		return fmt.Errorf("no connector for provider %q", w.Provider)
	}
	var res charge.Result
	if w.Op == charge.OpCharge {
		res, err = x.claimedCharge(ctx, conn, t, w)
		if err != nil {
			return err
		}
	} else {
		x.calls.Add(1)
		res = conn.Call(ctx, t, w)
	}
	if res.Op != "" {
		metrics.Default.Inc("switchyard_provider_calls_total", "provider", w.Provider, "op", w.Op, "outcome", outcomeName(res.Outcome))
	}
	return x.cfg.Engine.Apply(ctx, t.ID, res)
}

// claimedCharge makes the charge call at most once.
func (x *Executor) claimedCharge(ctx context.Context, conn Connector, t *store.Txn, w engine.WorkItem) (charge.Result, error) {
	if t.Status != events.StatusPending {
		return charge.Result{}, nil
	}
	first, err := x.cfg.Engine.Store().ProviderCallClaim(ctx, t.ID, charge.OpCharge)
	if err != nil {
		return charge.Result{}, err
	}
	if !first {
		x.cfg.Log.Warn("charge call may already have been made; not repeating it", "transaction", t.ID)
		return charge.Result{Op: charge.OpCharge, Outcome: charge.Unknown, Message: "an earlier attempt may have reached the provider"}, nil
	}
	x.calls.Add(1)
	return conn.Call(ctx, t, w), nil
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
