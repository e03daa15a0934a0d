package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Apply applies a provider result or a fired timer to a transaction. A stale
// input (the transaction has moved on, the timer was cancelled or taken by
// another instance) changes nothing and returns nil.
func (e *Engine) Apply(ctx context.Context, id uuid.UUID, in charge.Input) error {
	return e.apply(ctx, id, in, nil)
}

// ApplyWork applies the result of claim w and removes its work item in the
// same transaction, so that a result commits exactly with the end of its
// work. It returns store.ErrLeaseLost, having written nothing, when the
// claim is no longer the item's (its lease ran out and another worker took
// it): the caller then decides whether its result is a fact to record with
// Apply.
func (e *Engine) ApplyWork(ctx context.Context, w store.WorkItem, in charge.Input) error {
	return e.apply(ctx, w.TransactionID, in, &w)
}

func (e *Engine) apply(ctx context.Context, id uuid.UUID, in charge.Input, w *store.WorkItem) error {
	return e.cfg.Store.InTx(ctx, func(tx pgx.Tx) error {
		var b store.Batch
		if w != nil {
			b.WorkFinish(w.ID, w.Attempt)
		}
		t, err := store.TransactionGetForUpdate(ctx, tx, id)
		if err != nil {
			return fmt.Errorf("apply %T to %s: %w", in, id, err)
		}
		if tf, ok := in.(charge.TimerFired); ok {
			taken, err := store.TimerTake(ctx, tx, id, tf.Kind, e.now())
			if err != nil || !taken {
				return err
			}
		}
		m, err := e.merchantTx(ctx, tx, t.MerchantID)
		if err != nil {
			return err
		}
		prev := t.Status
		next, effs, err := e.decide(ctx, tx, t, in, m)
		if errors.Is(err, charge.ErrIgnored) {
			e.cfg.Log.Debug("stale input ignored", "transaction", id, "input", fmt.Sprintf("%T", in), "status", t.Status)
			return b.Send(ctx, tx) // commits the work item's removal, if any
		}
		if err != nil {
			return err
		}
		setChargeState(t, next)
		return e.write(ctx, tx, &b, t, false, next.Status != prev, effs, Causation(t))
	})
}

// decide runs the charge machine on t and carries out, inside tx, the
// effects that must happen before the transition is written: a CancelCall
// removes the call's work item if no worker has sent it, and the machine is
// then told so (CallCancelled) in the same transition.
func (e *Engine) decide(ctx context.Context, tx pgx.Tx, t *store.Txn, in charge.Input, m *store.Merchant) (charge.State, []effect.Effect, error) {
	p := e.policy(m)
	next, effs, err := charge.Decide(chargeState(t), in, e.now(), p)
	if err != nil {
		return next, nil, err
	}
	out := make([]effect.Effect, 0, len(effs))
	for _, eff := range effs {
		c, ok := eff.(effect.CancelCall)
		if !ok {
			out = append(out, eff)
			continue
		}
		cancelled, err := store.WorkCancelUnsent(ctx, tx, t.ID, c.Op)
		if err != nil || !cancelled {
			if err != nil {
				return next, nil, err
			}
			continue
		}
		after, more, err := charge.Decide(next, charge.CallCancelled{Op: c.Op}, e.now(), p)
		if errors.Is(err, charge.ErrIgnored) {
			continue
		}
		if err != nil {
			return next, nil, err
		}
		next, out = after, append(out, more...)
	}
	return next, out, nil
}

// Wants reports whether t still waits for the result of op: a work item
// for a call the transaction no longer waits for is removed uncalled.
func (e *Engine) Wants(t *store.Txn, op string) bool {
	return charge.Awaits(chargeState(t), op)
}

// SealedPaymentMethod returns the payment method a charge call needs.
func (e *Engine) SealedPaymentMethod(t *store.Txn) ([]byte, error) {
	plain, ok, err := e.openDetail(t, detailSealedPM, paymentMethodAAD(t.MerchantID.String(), t.ID.String()))
	if err == nil && !ok {
		err = errors.New("payment method no longer held")
	}
	return plain, err
}

// ConfirmPaymentInfo returns charge.confirm's payment_method_info for the
// confirm call (nil when the merchant sent none).
func (e *Engine) ConfirmPaymentInfo(t *store.Txn) (json.RawMessage, error) {
	plain, _, err := e.openDetail(t, detailConfirmInfo, confirmInfoAAD(t))
	return plain, err
}

// openDetail opens the value sealed under key in t's details; ok is false
// when there is none.
func (e *Engine) openDetail(t *store.Txn, key string, aad []byte) (plain []byte, ok bool, err error) {
	raw, ok := t.Details[key]
	if !ok {
		return nil, false, nil
	}
	var sealed []byte
	if err := json.Unmarshal(raw, &sealed); err != nil {
		return nil, true, err
	}
	plain, err = e.cfg.Sealer.Open(sealed, aad)
	return plain, true, err
}

// paymentMethodAAD binds a sealed payment method to its transaction and
// merchant: a blob copied to another row does not open.
func paymentMethodAAD(merchantID, txnID string) []byte {
	return secret.AAD("payment_method", merchantID, txnID)
}

func confirmInfoAAD(t *store.Txn) []byte {
	return secret.AAD("confirm_payment_method_info", t.MerchantID.String(), t.ID.String())
}

// dropSealedWhenDone removes sealed payment data once the call that needs
// it is made or never will be: the card data when the charge leaves
// pending, the confirm's data when it leaves confirming.
func dropSealedWhenDone(t *store.Txn) {
	if t.Type != events.TypeCharge {
		return
	}
	if t.Status != events.StatusPending {
		delete(t.Details, detailSealedPM)
	}
	if t.Status != events.StatusConfirming {
		delete(t.Details, detailConfirmInfo)
	}
}
