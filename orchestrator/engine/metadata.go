package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// CommandUpdateMetadata is the type of the idempotency record of a
// metadata update (PATCH /v1/transactions/{id}/metadata); it is no
// lifecycle's command and never travels on PAY_COMMANDS.
const CommandUpdateMetadata = "transaction.update_metadata"

// StatusMetadataUpdated is the second part of the event of a metadata
// update: <type>.metadata_updated. The transaction's status is unchanged.
const StatusMetadataUpdated = "metadata_updated"

// ErrRequestRecorded is returned by UpdateMetadata, having written nothing,
// when a request with the same Idempotency-Key is already recorded (another
// request got there first): answer it as a repeat.
var ErrRequestRecorded = errors.New("request already recorded")

// MetadataPatch is a JSON merge patch of a transaction's metadata (RFC
// 7396 on a flat object): a key with a value sets it, a key with nil
// removes it, a key not named is kept.
type MetadataPatch map[string]*string

// MetadataUpdate is one metadata update request: the merchant's
// transaction, the patch, and the request's Idempotency-Key, recorded as
// the id of its command.
type MetadataUpdate struct {
	MerchantID    uuid.UUID
	TransactionID uuid.UUID
	Key           string
	Patch         MetadataPatch
}

// Command is the update as a command, whose CommandHash tells a repeat of
// the request from another request with the same key.
func (u *MetadataUpdate) Command() *events.Command {
	data, _ := json.Marshal(map[string]any{"id": u.TransactionID.String(), "metadata": u.Patch})
	return &events.Command{SpecVersion: events.SpecVersion, ID: u.Key, Source: "http", Type: CommandUpdateMetadata,
		DataContentType: "application/json", Data: data}
}

// UpdateMetadata merges u's patch into the transaction's metadata and
// commits, in one database transaction under the transaction's row lock,
// the row (version bumped), the request's idempotency record and the event
// <type>.metadata_updated (history and outbox), whose data is the
// transaction resource. The merged metadata must keep the contract's bounds
// (events.ValidateMetadata): a *events.FieldError otherwise. Another
// merchant's transaction is store.ErrNotFound.
//
// The event is an effect.Emit of kind metadata_updated, written by write
// like any transition's.
func (e *Engine) UpdateMetadata(ctx context.Context, u *MetadataUpdate) (*store.Txn, error) {
	var out *store.Txn
	err := e.cfg.Store.InTx(ctx, func(tx pgx.Tx) error {
		t, _, err := store.TransactionLock(ctx, tx, u.MerchantID, u.TransactionID)
		if err != nil {
			return fmt.Errorf("update metadata of %s: %w", u.TransactionID, err)
		}
		merged := u.Patch.apply(t.Metadata)
		if err := events.ValidateMetadata(merged); err != nil {
			return err
		}
		t.Metadata = merged
		effs := []effect.Effect{effect.Emit{Kind: StatusMetadataUpdated}}
		journal(t, e.now(), "metadata updated by request "+u.Key, t.Status, effs)
		var b store.Batch
		recordCommand(&b, &store.Command{MerchantID: u.MerchantID, ID: u.Key, Type: CommandUpdateMetadata,
			DataHash: CommandHash(u.Command()), TransactionID: &t.ID, Outcome: store.OutcomeAccepted})
		out = t
		return e.write(ctx, tx, &b, t, false, false, effs, u.Key)
	})
	if errors.Is(err, errDuplicate) {
		return nil, ErrRequestRecorded
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// apply returns a copy of m with the patch applied.
func (patch MetadataPatch) apply(m map[string]string) map[string]string {
	out := maps.Clone(m)
	if out == nil {
		out = map[string]string{}
	}
	for k, v := range patch {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = *v
		}
	}
	return out
}
