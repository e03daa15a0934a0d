package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Apply applies a provider result or a fired timer to a transaction. A stale
// input (the transaction has moved on, the timer was cancelled or taken by
// another instance) changes nothing and returns nil.
func (e *Engine) Apply(ctx context.Context, id uuid.UUID, in charge.Input) error {
	return e.apply(ctx, id, in, 0)
}

// ApplyWork applies the result of work item workID and removes the item in
// the same transaction, so that a result is committed exactly with the end
// of its work.
func (e *Engine) ApplyWork(ctx context.Context, workID int64, id uuid.UUID, in charge.Input) error {
	return e.apply(ctx, id, in, workID)
}

func (e *Engine) apply(ctx context.Context, id uuid.UUID, in charge.Input, workID int64) error {
	return e.cfg.Store.InTx(ctx, func(tx pgx.Tx) error {
		var b store.Batch
		if workID != 0 {
			b.WorkDelete(workID)
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
		m, err := e.Merchant(ctx, t.MerchantID)
		if err != nil {
			return err
		}
		prev := t.Status
		next, effs, err := charge.Decide(chargeState(t), in, e.now(), e.policy(m))
		if errors.Is(err, charge.ErrIgnored) {
			e.cfg.Log.Debug("stale input ignored", "transaction", id, "input", fmt.Sprintf("%T", in), "status", t.Status)
			return b.Send(ctx, tx) // commits the timer's or the work item's removal, if any
		}
		if err != nil {
			return err
		}
		setChargeState(t, next)
		if r, ok := in.(charge.Result); ok && r.Op == charge.OpCharge {
			delete(t.Details, detailSealedPM) // the card data is no longer needed
		}
		return e.write(ctx, tx, &b, t, false, next.Status != prev, effs, Causation(t))
	})
}

// SealedPaymentMethod returns the payment method a charge call needs.
func (e *Engine) SealedPaymentMethod(t *store.Txn) ([]byte, error) {
	var sealed []byte
	raw, ok := t.Details[detailSealedPM]
	if !ok {
		return nil, errors.New("payment method no longer held")
	}
	if err := json.Unmarshal(raw, &sealed); err != nil {
		return nil, err
	}
	return e.cfg.Sealer.Open(sealed)
}
