package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Apply applies a provider result or a fired timer to a merchant's
// transaction. A stale input (the transaction has moved on, the timer was
// cancelled or taken by another instance) changes nothing and returns nil.
func (e *Engine) Apply(ctx context.Context, merchantID, id uuid.UUID, in lifecycle.Input) error {
	return e.apply(ctx, merchantID, id, in, nil, nil)
}

// ApplyWork applies the result of claim w and removes its work item in the
// same transaction, so that a result commits exactly with the end of its
// work; call, when not nil, is the call's record, written in the same round
// trip. It returns store.ErrLeaseLost, having written nothing, when the
// claim is no longer the item's (its lease ran out and another worker took
// it): the caller then decides whether its result is a fact to record with
// Apply.
func (e *Engine) ApplyWork(ctx context.Context, w store.WorkItem, in lifecycle.Input, call *store.ProviderCall) error {
	return e.apply(ctx, w.MerchantID, w.TransactionID, in, &w, call)
}

func (e *Engine) apply(ctx context.Context, merchantID, id uuid.UUID, in lifecycle.Input, w *store.WorkItem, call *store.ProviderCall) error {
	return e.cfg.Store.InTx(ctx, func(tx pgx.Tx) error {
		var b store.Batch
		if w != nil {
			b.WorkFinish(*w)
		}
		if call != nil {
			b.ProviderCallInsert(*call)
		}
		t, parent, err := store.TransactionLock(ctx, tx, merchantID, id)
		if err != nil {
			return fmt.Errorf("apply %T to %s: %w", in, id, err)
		}
		if tf, ok := in.(lifecycle.TimerFired); ok {
			taken, err := store.TimerTake(ctx, tx, merchantID, id, tf.Kind, e.now())
			if err != nil || !taken {
				return err
			}
		}
		l, ok := e.cfg.Lifecycles.ByType(t.Type)
		if !ok {
			return fmt.Errorf("apply %T to %s: no lifecycle for type %q", in, id, t.Type)
		}
		m, err := e.merchantTx(ctx, tx, t.MerchantID)
		if err != nil {
			return err
		}
		env := e.env(m, parent)
		prev, parentPrev := t.Status, statusOf(parent)
		effs, err := e.decide(ctx, tx, l, t, in, env)
		if errors.Is(err, lifecycle.ErrIgnored) {
			e.cfg.Log.Debug("stale input ignored", "transaction", id, "input", fmt.Sprintf("%T", in), "status", t.Status)
			return b.Send(ctx, tx) // commits the work item's removal and the call's record, if any
		}
		if err != nil {
			return err
		}
		journal(t, e.now(), inputCause(in), prev, effs)
		if parentChanged(env.ParentChanged, env.ParentEvents) && parent != nil {
			journalParent(parent, t, e.now(), inputCause(in), parentPrev, env.ParentEvents)
			e.queueParent(&b, parent, parentPrev, Causation(t), traceOf(ctx, t), env.ParentEvents)
		}
		return e.write(ctx, tx, &b, t, false, t.Status != prev, effs, Causation(t))
	})
}

func (e *Engine) env(m *store.Merchant, parent *store.Txn) *lifecycle.Env {
	return &lifecycle.Env{Now: e.now(), Merchant: m, Parent: parent, Seal: e.seal}
}

// decide runs t's lifecycle on t and carries out, inside tx, the effects
// that must happen before the transition is written: a CancelCall removes
// the call's work item if no worker has sent it, and the lifecycle is then
// told so (CallCancelled) in the same transition.
func (e *Engine) decide(ctx context.Context, tx pgx.Tx, l lifecycle.Lifecycle, t *store.Txn, in lifecycle.Input, env *lifecycle.Env) ([]effect.Effect, error) {
	effs, err := l.Decide(t, in, env)
	if err != nil {
		return nil, err
	}
	out := make([]effect.Effect, 0, len(effs))
	for _, eff := range effs {
		c, ok := eff.(effect.CancelCall)
		if !ok {
			out = append(out, eff)
			continue
		}
		cancelled, err := store.WorkCancelUnsent(ctx, tx, t.MerchantID, t.ID, c.Op)
		if err != nil {
			return nil, err
		}
		if !cancelled {
			continue
		}
		more, err := l.Decide(t, lifecycle.CallCancelled{Op: c.Op}, env)
		if errors.Is(err, lifecycle.ErrIgnored) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// Wants reports whether t still waits for the result of op: a work item
// for a call the transaction no longer waits for is removed uncalled.
func (e *Engine) Wants(t *store.Txn, op string) bool {
	l, ok := e.cfg.Lifecycles.ByType(t.Type)
	return ok && l.Awaits(t, op)
}
