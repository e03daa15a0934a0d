package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
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

// Pass publishes one batch and returns how many rows it published.
func (r *Relay) Pass(ctx context.Context) (int, error) {
	n := 0
	err := r.cfg.Store.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := store.OutboxClaimBatch(ctx, tx, r.cfg.BatchSize)
		if err != nil || len(rows) == 0 {
			return err
		}
		if err := r.publish(ctx, rows); err != nil {
			return err
		}
		ids := make([]int64, len(rows))
		for i, row := range rows {
			ids[i] = row.ID
		}
		n = len(rows)
		return store.OutboxDelete(ctx, tx, ids)
	})
	if err == nil {
		r.published.Add(int64(n))
		metrics.Default.Add("switchyard_outbox_published_total", int64(n))
	}
	return n, err
}

// publish sends rows in order, pipelined, and waits for every PubAck. A
// duplicate PubAck (already in the stream) counts as published.
func (r *Relay) publish(ctx context.Context, rows []store.OutboxRow) error {
	futures := make([]jetstream.PubAckFuture, len(rows))
	for i, row := range rows {
		m := &nats.Msg{Subject: row.Subject, Data: row.Payload, Header: nats.Header{}}
		m.Header.Set(jetstream.MsgIDHeader, row.MsgID)
		f, err := r.cfg.JetStream.PublishMsgAsync(m)
		if err != nil {
			return fmt.Errorf("publish %s: %w", row.Subject, err)
		}
		futures[i] = f
	}
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for i, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return fmt.Errorf("publish %s: %w", rows[i].Subject, err)
		case <-timeout.C:
			return errors.New("publish: no PubAck within 10s")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
