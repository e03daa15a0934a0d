// Package timer fires durable timers: confirm deadlines and retry schedules
// live in the timers table, so they survive restarts. Any number of instances
// may run the service: a timer is taken (deleted) inside the same PostgreSQL
// transaction that applies it, under the transaction's row lock, so each
// firing is applied once.
package timer

import (
	"context"
	"log/slog"
	"time"

	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/engine"
)

// Config configures the timer service.
type Config struct {
	Engine *engine.Engine
	Log    *slog.Logger
	Now    func() time.Time
	Poll   time.Duration // how often due timers are looked for (default 200ms)
	Batch  int           // timers fired per pass (default 200)
}

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
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg}
}

// Run fires timers until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	for {
		n, err := s.Pass(ctx)
		if err != nil && ctx.Err() == nil {
			s.cfg.Log.Warn("timer pass failed", "err", err)
		}
		if n == s.cfg.Batch {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Pass fires the timers due now and returns how many it looked at.
func (s *Service) Pass(ctx context.Context) (int, error) {
	due, err := s.cfg.Engine.Store().TimersDue(ctx, s.cfg.Now(), s.cfg.Batch)
	if err != nil {
		return 0, err
	}
	for _, t := range due {
		if err := s.cfg.Engine.Apply(ctx, t.TransactionID, charge.TimerFired{Kind: t.Kind}); err != nil {
			s.cfg.Log.Warn("timer failed; will fire again", "transaction", t.TransactionID, "kind", t.Kind, "err", err)
		}
	}
	return len(due), nil
}
