package outbox

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Config configures a Relay.
type Config struct {
	Store     *store.Store
	JetStream jetstream.JetStream
	Log       *slog.Logger
	BatchSize int           // rows per pass (default 500)
	Poll      time.Duration // fallback polling interval (default 500ms)
	// Coalesce is how long a relay woken by a notification waits for more
	// commits before its pass, so that a busy system publishes in batches
	// rather than one PostgreSQL transaction per row (default 2ms; <0: none).
	Coalesce time.Duration
}

// Relay publishes the outbox.
type Relay struct {
	cfg       Config
	wake      chan struct{}
	published atomic.Int64
}

// New returns a Relay.
func New(cfg Config) *Relay {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 500
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 500 * time.Millisecond
	}
	if cfg.Coalesce == 0 {
		cfg.Coalesce = 2 * time.Millisecond
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Relay{cfg: cfg, wake: make(chan struct{}, 1)}
}

// Published counts the messages this relay has published.
func (r *Relay) Published() int64 { return r.published.Load() }

// Run publishes until ctx ends: woken by LISTEN/NOTIFY, with a polling
// fallback for lost notifications and listener outages.
func (r *Relay) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); r.cfg.Store.Listen(ctx, store.OutboxChannel, r.wake, r.cfg.Log) }()
	defer wg.Wait()
	for {
		n, err := r.Pass(ctx)
		if err != nil && ctx.Err() == nil {
			r.cfg.Log.Warn("outbox pass failed", "err", err)
		}
		if ctx.Err() != nil {
			return nil
		}
		if n == r.cfg.BatchSize {
			continue // more is waiting
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
			r.coalesce(ctx)
		case <-time.After(r.cfg.Poll):
		}
	}
}

// coalesce lets concurrent commits pile up briefly before a pass.
func (r *Relay) coalesce(ctx context.Context) {
	if r.cfg.Coalesce <= 0 {
		return
	}
	t := time.NewTimer(r.cfg.Coalesce)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// Pass publishes one batch and returns how many of its rows it handled:
// published, or moved to outbox_dead (a permanent publish error, or held
// behind such a row of the same transaction). A transient error (no PubAck
// in time, connection lost) fails the whole pass, which is retried.
func (r *Relay) Pass(ctx context.Context) (int, error) {
	var res result
	var rows []store.OutboxRow
	var claimed time.Time
	err := r.cfg.Store.InTx(ctx, func(tx pgx.Tx) (err error) {
		claimed = time.Now()
		rows, err = store.OutboxClaimBatch(ctx, tx, r.cfg.BatchSize)
		if err != nil || len(rows) == 0 {
			return err
		}
		if res, err = r.publish(ctx, rows); err != nil {
			return err
		}
		return res.commit(ctx, tx)
	})
	if err != nil {
		return 0, err
	}
	r.published.Add(int64(len(res.published)))
	metrics.Default.Add("switchyard_outbox_published_total", int64(len(res.published)))
	observeLag(rows, res.published, claimed)
	r.alert(res.dead)
	return len(res.published) + len(res.dead), nil
}
