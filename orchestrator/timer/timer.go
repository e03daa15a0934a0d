// Package timer fires durable timers: confirm deadlines and retry schedules
// live in the timers table, so they survive restarts. Any number of instances
// may run the service: a timer is taken (deleted) inside the same PostgreSQL
// transaction that applies it, under the transaction's row lock, so each
// firing is applied once. A timer whose application fails is postponed in
// the table (due_at pushed forward by a growing delay, failures counted), so
// a failing timer is neither retried in a hot loop nor in the way of others.
package timer

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Config configures the timer service.
type Config struct {
	Engine *engine.Engine
	Log    *slog.Logger
	Now    func() time.Time
	Poll   time.Duration // how often due timers are looked for (default 200ms)
	Batch  int           // timers fired per pass (default 200)
	// A timer whose application fails is postponed by RetryMin, doubled
	// per failure in a row, capped at RetryMax (defaults 1s and 5m).
	RetryMin, RetryMax time.Duration
	// Owners fire the timers of owners other than transactions (a
	// merchant's settlement cut-off, a webhook endpoint's retry), by owner
	// kind (store.OwnerMerchant, store.OwnerEndpoint). A transaction's timers
	// go to its lifecycle through the engine.
	Owners map[string]Handler
}

// Handler fires a due timer of a merchant or an endpoint. It takes the
// timer (store.TimerTake) in the same PostgreSQL transaction as its effect;
// or, when its effect is many transactions each idempotent (a merchant's
// batch cut-off: orchestrator/charge/settle), it moves the timer
// (store.TimerAdvance) after all of them, so that a firing that dies midway
// fires again.
type Handler func(ctx context.Context, t store.Timer) error

// Service fires due timers.
type Service struct{ cfg Config }

// New returns a timer service.
func New(cfg Config) *Service {
	if cfg.Poll <= 0 {
		cfg.Poll = 200 * time.Millisecond
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 200
	}
	if cfg.RetryMin <= 0 {
		cfg.RetryMin = time.Second
	}
	if cfg.RetryMax < cfg.RetryMin {
		cfg.RetryMax = max(5*time.Minute, cfg.RetryMin)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg}
}

// Run fires timers until ctx ends. It looks again at once only after a full
// batch that all fired; otherwise it waits for the next tick, so that timers
// that keep failing (or a failing database) never make it spin.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	for {
		n, err := s.Pass(ctx)
		if err != nil && ctx.Err() == nil {
			s.cfg.Log.Warn("timer pass failed", "err", err)
		}
		if n == s.cfg.Batch && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Pass fires the timers due now and returns how many it applied. A timer
// whose application fails is postponed in the table by a growing delay.
func (s *Service) Pass(ctx context.Context) (int, error) {
	due, err := s.cfg.Engine.Store().TimersDue(ctx, s.cfg.Now(), s.cfg.Batch)
	if err != nil {
		return 0, err
	}
	applied := 0
	for _, t := range due {
		err := s.fire(ctx, t)
		if err == nil {
			applied++
			metrics.Default.Observe(metrics.TimerLagSeconds, s.cfg.Now().Sub(t.DueAt).Seconds(), "kind", t.Kind)
			continue
		}
		if ctx.Err() != nil {
			return applied, nil // shutting down: the timer is still due
		}
		if err := s.postpone(ctx, t, err); err != nil {
			return applied, err
		}
	}
	return applied, nil
}

// fire applies one due timer: a transaction's to its lifecycle, any other
// owner's to the handler of its kind.
func (s *Service) fire(ctx context.Context, t store.Timer) error {
	if t.OwnerKind == store.OwnerTransaction {
		return s.cfg.Engine.Apply(ctx, t.MerchantID, t.OwnerID, lifecycle.TimerFired{Kind: t.Kind, Attempt: t.Attempt, DueAt: t.DueAt})
	}
	h, ok := s.cfg.Owners[t.OwnerKind]
	if !ok {
		return fmt.Errorf("no timer handler for owner kind %q", t.OwnerKind)
	}
	return h(ctx, t)
}

// postpone records a failed application of t and makes it due again later.
func (s *Service) postpone(ctx context.Context, t store.Timer, cause error) error {
	delay := backoff(t.Failures+1, s.cfg.RetryMin, s.cfg.RetryMax)
	metrics.Default.Inc("switchyard_timer_failures_total", "kind", t.Kind)
	s.cfg.Log.Warn("timer failed; postponed", "owner", t.OwnerKind, "id", t.OwnerID, "kind", t.Kind,
		"failures", t.Failures+1, "retry_in", delay, "err", cause)
	if _, err := s.cfg.Engine.Store().TimerPostpone(ctx, t, s.cfg.Now().Add(delay)); err != nil {
		return err
	}
	return nil
}
