package engine

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/store"
)

const referenceConstraint = "transactions_charge_reference"

func (e *Engine) chargeCreate(ctx context.Context, tx pgx.Tx, m *store.Merchant, cmd *events.Command, rec *store.Command) (uuid.UUID, error) {
	var d events.ChargeCreateData
	if err := events.Decode(cmd.Data, &d); err != nil {
		return uuid.Nil, fieldRejection(err)
	}
	amount, err := d.Validate()
	if err != nil {
		return uuid.Nil, fieldRejection(err)
	}
	if d.Provider != events.ProviderOnoConnect {
		return uuid.Nil, reject(events.ReasonUnsupportedByProvider, "data.provider", "charges with %q are not available yet", d.Provider)
	}
	id := TransactionID(m.ID, cmd.ID)
	rec.TransactionID = &id
	var b store.Batch
	recordCommand(&b, rec)
	t := &store.Txn{ID: id, MerchantID: m.ID, Type: events.TypeCharge, Provider: d.Provider, Amount: amount,
		Currency: d.Currency, Reference: d.Reference, Metadata: d.Metadata}
	state, effs := charge.Start()
	setChargeState(t, state)
	setDetail(t, detailCausation, cmd.ID)
	setDetail(t, detailPaymentMethod, MaskPaymentMethod(d.PaymentMethod))
	setDetail(t, detailSealedPM, e.cfg.Sealer.Seal(d.PaymentMethod, paymentMethodAAD(t.MerchantID.String(), t.ID.String())))
	setRaw(t, detailDevice, d.Device)
	setRaw(t, detailApp, d.App)
	if d.CustomerID != "" {
		setDetail(t, detailCustomer, d.CustomerID)
	}
	// A rejection rolls the whole transaction back, command record included.
	if err := e.write(ctx, tx, &b, t, true, true, effs, cmd.ID); err != nil {
		if store.IsUniqueViolation(err, referenceConstraint) {
			return uuid.Nil, reject(events.ReasonDuplicateReference, "data.reference", "reference %q is used by another charge", d.Reference)
		}
		return id, err
	}
	return id, nil
}

func setRaw(t *store.Txn, key string, raw json.RawMessage) {
	if len(raw) > 0 && string(raw) != "null" {
		t.Details[key] = raw
	}
}

func (e *Engine) chargeFinalize(ctx context.Context, tx pgx.Tx, m *store.Merchant, cmd *events.Command, rec *store.Command) (uuid.UUID, error) {
	id, in, extra, err := e.parseFinalize(ctx, tx, m, cmd)
	if err != nil {
		return id, err
	}
	rec.TransactionID = &id
	t, err := store.TransactionGetForUpdate(ctx, tx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (t.MerchantID != m.ID || t.Type != events.TypeCharge)) {
		return uuid.Nil, reject(events.ReasonNotFound, "data.transaction_id", "no charge %s", id)
	}
	if err != nil {
		return id, err
	}
	prev := t.Status
	next, effs, err := e.decide(ctx, tx, t, in, m)
	if errors.Is(err, charge.ErrInvalidState) {
		return id, reject(events.ReasonInvalidState, "", "%s", strings.TrimPrefix(err.Error(), "invalid state: "))
	}
	if err != nil {
		return id, err
	}
	if err := mergeMetadata(t, extra.Metadata); err != nil {
		return id, err
	}
	setChargeState(t, next)
	setDetail(t, detailCausation, cmd.ID)
	if len(extra.PaymentMethodInfo) > 0 && next.Status == events.StatusConfirming {
		// Kept sealed until the confirm call has been made (it may carry
		// the card's cryptogram), then dropped with the confirm's end.
		setDetail(t, detailConfirmInfo, e.cfg.Sealer.Seal(extra.PaymentMethodInfo, confirmInfoAAD(t)))
	}
	var b store.Batch
	recordCommand(&b, rec)
	return id, e.write(ctx, tx, &b, t, false, next.Status != prev, effs, cmd.ID)
}

// finalizeExtra is what charge.confirm / charge.reject carry beside the
// charge they name.
type finalizeExtra struct {
	PaymentMethodInfo json.RawMessage // confirm only: passed on to the provider
	Metadata          map[string]string
}

// parseFinalize validates charge.confirm / charge.reject and resolves a
// reference to its charge.
func (e *Engine) parseFinalize(ctx context.Context, tx pgx.Tx, m *store.Merchant, cmd *events.Command) (uuid.UUID, charge.Input, finalizeExtra, error) {
	if cmd.Type == events.ChargeConfirm {
		var d events.ChargeConfirmData
		if err := events.Decode(cmd.Data, &d); err != nil {
			return uuid.Nil, nil, finalizeExtra{}, fieldRejection(err)
		}
		if err := d.Validate(); err != nil {
			return uuid.Nil, nil, finalizeExtra{}, fieldRejection(err)
		}
		extra := finalizeExtra{PaymentMethodInfo: d.PaymentMethodInfo, Metadata: d.Metadata}
		return uuid.MustParse(d.TransactionID), charge.Confirm{}, extra, nil
	}
	var d events.ChargeRejectData
	if err := events.Decode(cmd.Data, &d); err != nil {
		return uuid.Nil, nil, finalizeExtra{}, fieldRejection(err)
	}
	if err := d.Validate(); err != nil {
		return uuid.Nil, nil, finalizeExtra{}, fieldRejection(err)
	}
	extra := finalizeExtra{Metadata: d.Metadata}
	if d.TransactionID != "" {
		return uuid.MustParse(d.TransactionID), charge.Reject{}, extra, nil
	}
	id, err := store.TransactionIDByReference(ctx, tx, m.ID, d.Reference)
	if errors.Is(err, store.ErrNotFound) {
		return uuid.Nil, nil, extra, reject(events.ReasonNotFound, "data.reference", "no charge with reference %q", d.Reference)
	}
	return id, charge.Reject{}, extra, err
}

// mergeMetadata adds a command's metadata to the transaction's: later keys
// win, and the result keeps the contract's bounds.
func mergeMetadata(t *store.Txn, add map[string]string) error {
	if len(add) == 0 {
		return nil
	}
	merged := make(map[string]string, len(t.Metadata)+len(add))
	for k, v := range t.Metadata {
		merged[k] = v
	}
	for k, v := range add {
		merged[k] = v
	}
	if len(merged) > events.MaxMetadataKeys {
		return reject(events.ReasonInvalidRequest, "data.metadata", "the charge would have more than %d metadata keys", events.MaxMetadataKeys)
	}
	t.Metadata = merged
	return nil
}

func fieldRejection(err error) error {
	var fe *events.FieldError
	if errors.As(err, &fe) {
		return reject(events.ReasonInvalidRequest, fe.Field, "%s", fe.Message)
	}
	return reject(events.ReasonInvalidRequest, "data", "%v", err)
}
