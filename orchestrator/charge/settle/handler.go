package settle

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// TimerKind is the kind of a merchant's batch cut-off timer (owner kind
// store.OwnerMerchant, owner id the merchant's id).
const TimerKind = "batch_cutoff"

// Config configures the Handler.
type Config struct {
	Engine *engine.Engine
	Log    *slog.Logger
	Page   int // transactions read per query (default 500)
}

// Handler fires merchants' batch cut-off timers.
type Handler struct{ cfg Config }

// NewHandler returns a Handler.
func NewHandler(cfg Config) *Handler {
	if cfg.Page <= 0 {
		cfg.Page = 500
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Handler{cfg: cfg}
}

// Fire handles a merchant's due cut-off timer (a timer.Handler for owner
// kind store.OwnerMerchant): it settles the merchant's batch, hands
// ParentSettled to the deferred children of its settled charges, then moves
// the timer to the next cut-off. An error leaves the timer due (the timer
// service postpones it); firing again redoes only what is left.
func (h *Handler) Fire(ctx context.Context, t store.Timer) error {
	if t.Kind != TimerKind {
		return fmt.Errorf("settle: merchant timer of unknown kind %q", t.Kind)
	}
	st := h.cfg.Engine.Store()
	m, err := st.MerchantGet(ctx, t.MerchantID)
	if err != nil {
		return fmt.Errorf("settle: merchant %s: %w", t.MerchantID, err)
	}
	sched, err := ParseSchedule(m.BatchCutoff, m.BatchTimeZone)
	if err != nil {
		return fmt.Errorf("settle: merchant %s: %w", t.MerchantID, err)
	}
	// The timer is due at the cut-off, or later when a failed firing was
	// postponed: the batch is the one of the last cut-off by then.
	at := PrevCutoff(t.DueAt, sched.Cutoff, sched.Location)
	n, err := h.settleCharges(ctx, t.MerchantID, at)
	if err != nil {
		return err
	}
	k, err := h.settleChildren(ctx, t.MerchantID)
	if err != nil {
		return err
	}
	next := sched.Next(t.DueAt)
	moved, err := st.TimerAdvance(ctx, t, next)
	if err != nil {
		return err
	}
	level := slog.LevelDebug // quiet for a merchant with nothing to settle
	if n+k > 0 {
		level = slog.LevelInfo
	}
	h.cfg.Log.Log(ctx, level, "batch cut-off", "merchant_id", t.MerchantID, "cutoff", at, "charges", n, "children", k,
		"next", next, "moved_meanwhile", !moved)
	return nil
}

// settleCharges applies Settle{At: at} to each of the merchant's charges
// still succeeded and created at or before at; it returns how many it asked.
func (h *Handler) settleCharges(ctx context.Context, merchantID uuid.UUID, at time.Time) (int, error) {
	p := &store.TransactionsCreatedByParams{MerchantID: merchantID, Type: events.TypeCharge,
		Status: events.StatusSucceeded, By: at, Limit: h.cfg.Page}
	return h.each(ctx, merchantID, lifecycle.Settle{At: at}, func() ([]store.TxnKey, error) {
		keys, err := h.cfg.Engine.Store().TransactionsCreatedBy(ctx, p)
		if len(keys) > 0 {
			p.After = keys[len(keys)-1]
		}
		return keys, err
	})
}

// settledStatuses are the statuses of a charge whose batch has settled that
// may still have deferred children: settled, and partially_refunded once
// a sibling's refund was made (a firing that died between two siblings).
var settledStatuses = []string{events.StatusSettled, events.StatusPartiallyRefunded}

// settleChildren applies ParentSettled to each of the merchant's deferred
// children whose parent has settled, whichever firing settled it (a firing
// that died after settling a charge leaves its children to the next one).
func (h *Handler) settleChildren(ctx context.Context, merchantID uuid.UUID) (int, error) {
	p := &store.TransactionChildrenParams{MerchantID: merchantID, Status: events.StatusDeferred,
		ParentStatuses: settledStatuses, Limit: h.cfg.Page}
	return h.each(ctx, merchantID, lifecycle.ParentSettled{}, func() ([]store.TxnKey, error) {
		keys, err := h.cfg.Engine.Store().TransactionChildren(ctx, p)
		if len(keys) > 0 {
			p.After = keys[len(keys)-1]
		}
		return keys, err
	})
}

// each applies in to every transaction that page lists, page by page, each
// in its own engine transaction (an input that no longer applies is
// ignored by the engine).
func (h *Handler) each(ctx context.Context, merchantID uuid.UUID, in lifecycle.Input, page func() ([]store.TxnKey, error)) (int, error) {
	n := 0
	for {
		keys, err := page()
		if err != nil {
			return n, err
		}
		for _, k := range keys {
			if err := h.cfg.Engine.Apply(ctx, merchantID, k.ID, in); err != nil {
				return n, fmt.Errorf("settle: %T to %s: %w", in, k.ID, err)
			}
			n++
		}
		if len(keys) < h.cfg.Page {
			return n, nil
		}
	}
}
