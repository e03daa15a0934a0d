package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// ErrUnknownMerchant is returned for a command whose subject names no
// merchant: there is nobody to record it for.
var ErrUnknownMerchant = errors.New("unknown merchant")

// errDuplicate rolls back a transaction whose command id was already recorded.
var errDuplicate = errors.New("duplicate command")

// HandleCommand applies one command of a merchant. Validation failures and
// business refusals are committed as command.rejected and returned in
// Outcome.Rejected with a nil error; a non-nil error is an infrastructure
// failure and the command should be retried.
func (e *Engine) HandleCommand(ctx context.Context, merchantID uuid.UUID, cmd *events.Command) (Outcome, error) {
	return e.handle(ctx, merchantID, cmd, false)
}

// handle applies a merchant's command, or, fromProvider, an internal one.
func (e *Engine) handle(ctx context.Context, merchantID uuid.UUID, cmd *events.Command, fromProvider bool) (Outcome, error) {
	hash := CommandHash(cmd)
	m, err := e.Merchant(ctx, merchantID)
	if err != nil {
		return Outcome{}, err
	}
	rec := &store.Command{MerchantID: merchantID, ID: cmd.ID, Type: cmd.Type, DataHash: hash, Outcome: store.OutcomeAccepted}
	var txnID uuid.UUID
	err = e.cfg.Store.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		txnID, err = e.dispatch(ctx, tx, m, cmd, rec, fromProvider)
		return err
	})
	if r, ok := asRejection(err); ok {
		return e.recordRejection(ctx, merchantID, cmd, hash, txnID, r.reason)
	}
	if errors.Is(err, errDuplicate) {
		return e.duplicate(ctx, merchantID, cmd, hash)
	}
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{TransactionID: txnID}, nil
}

// CommandHash covers the type and the canonical data: the same id with
// another type or other data is a different command.
func CommandHash(cmd *events.Command) []byte {
	h := sha256.New()
	h.Write([]byte(cmd.Type))
	h.Write([]byte{0})
	if c, err := events.Canonical(cmd.Data); err == nil {
		h.Write(c)
	} else {
		h.Write(cmd.Data)
	}
	return h.Sum(nil)
}

// recordCommand queues the idempotency record; the batch's Send returns
// errDuplicate when it exists.
func recordCommand(b *store.Batch, rec *store.Command) { b.CommandInsert(rec, errDuplicate) }

// recordRejection commits the rejected command's record and its
// command.rejected event. A repeat of a rejected command finds the record.
func (e *Engine) recordRejection(ctx context.Context, merchantID uuid.UUID, cmd *events.Command, hash []byte, txnID uuid.UUID, reason events.Reason) (Outcome, error) {
	rec := &store.Command{MerchantID: merchantID, ID: cmd.ID, Type: cmd.Type, DataHash: hash,
		Outcome: store.OutcomeRejected, ReasonCode: reason.Code, ReasonField: reason.Field, ReasonMessage: reason.Message}
	if txnID != uuid.Nil {
		rec.TransactionID = &txnID
	}
	err := e.cfg.Store.InTx(ctx, func(tx pgx.Tx) error {
		var b store.Batch
		recordCommand(&b, rec)
		e.queueRejected(&b, merchantID, cmd, txnID, reason, "rejected")
		return b.Send(ctx, tx)
	})
	if errors.Is(err, errDuplicate) {
		return e.duplicate(ctx, merchantID, cmd, hash)
	}
	if err != nil {
		return Outcome{}, err
	}
	e.cfg.Log.InfoContext(ctx, "command rejected", "merchant", merchantID, "command", cmd.ID, "type", cmd.Type, "code", reason.Code, "field", reason.Field)
	return Outcome{TransactionID: txnID, Rejected: &reason}, nil
}

// duplicate answers a repeated command id: the first outcome when the data is
// the same, idempotency_conflict otherwise.
func (e *Engine) duplicate(ctx context.Context, merchantID uuid.UUID, cmd *events.Command, hash []byte) (Outcome, error) {
	first, err := e.cfg.Store.CommandGet(ctx, merchantID, cmd.ID)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Duplicate: true}
	if first.TransactionID != nil {
		out.TransactionID = *first.TransactionID
	}
	if bytes.Equal(first.DataHash, hash) {
		if first.Outcome == store.OutcomeRejected {
			out.Rejected = &events.Reason{Code: first.ReasonCode, Field: first.ReasonField, Message: first.ReasonMessage}
		}
		return out, nil
	}
	reason := events.Reason{Code: events.ReasonIdempotencyConflict, Field: "id",
		Message: "command id " + cmd.ID + " was used before with other data"}
	err = e.cfg.Store.InTx(ctx, func(tx pgx.Tx) error {
		var b store.Batch
		e.queueRejected(&b, merchantID, cmd, uuid.Nil, reason, "conflict:"+hex.EncodeToString(hash[:8]))
		return b.Send(ctx, tx)
	})
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Duplicate: true, Rejected: &reason}, nil
}

// Reject records a command that failed before it could be dispatched (bad
// envelope) as command.rejected.
func (e *Engine) Reject(ctx context.Context, merchantID uuid.UUID, cmd *events.Command, reason events.Reason) (Outcome, error) {
	if _, err := e.Merchant(ctx, merchantID); err != nil {
		return Outcome{}, err
	}
	return e.recordRejection(ctx, merchantID, cmd, CommandHash(cmd), uuid.Nil, reason)
}
