package engine

import (
	"encoding/json"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Details keys of a charge.
const (
	detailCharge        = "charge"         // charge.State (the machine's own fields)
	detailPaymentMethod = "payment_method" // events.PaymentMethod (masked)
	detailSealedPM      = "pm_sealed"      // the payment method, sealed, until the charge call is done
	detailDevice        = "device"
	detailApp           = "app"
	detailCustomer      = "customer_id"
	detailCausation     = "causation"           // id of the last command applied
	detailConfirmInfo   = "confirm_info_sealed" // charge.confirm's payment_method_info, sealed, until the confirm ends
)

// Resource is the public transaction resource of a row.
func Resource(t *store.Txn) *events.Transaction {
	r := &events.Transaction{
		ID: t.ID.String(), MerchantID: t.MerchantID.String(), Type: t.Type, Status: t.Status,
		Provider: t.Provider, Amount: events.FormatAmount(t.Amount, t.Currency), Currency: t.Currency,
		Reference: t.Reference, ProviderReference: t.ProviderReference, Reason: t.Reason,
		Metadata: t.Metadata, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, Version: t.Version,
	}
	if r.Metadata == nil {
		r.Metadata = map[string]string{}
	}
	if t.ParentID != nil {
		r.ParentID = t.ParentID.String()
	}
	if !t.RefundedAmount.IsZero() {
		r.RefundedAmount = events.FormatAmount(t.RefundedAmount, t.Currency)
	}
	if raw, ok := t.Details[detailPaymentMethod]; ok {
		var pm events.PaymentMethod
		if json.Unmarshal(raw, &pm) == nil {
			r.PaymentMethod = &pm
		}
	}
	if s := chargeState(t); t.Type == events.TypeCharge && !s.ConfirmBy.IsZero() && t.Status == events.StatusAuthorized {
		cb := s.ConfirmBy
		r.ConfirmBy = &cb
	}
	return r
}

// chargeState reads the machine's state out of a row.
func chargeState(t *store.Txn) charge.State {
	var s charge.State
	if raw, ok := t.Details[detailCharge]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	s.Status, s.ProviderReference, s.Reason = t.Status, t.ProviderReference, t.Reason
	return s
}

// setChargeState writes the machine's state into a row.
func setChargeState(t *store.Txn, s charge.State) {
	t.Status, t.ProviderReference, t.Reason = s.Status, s.ProviderReference, s.Reason
	setDetail(t, detailCharge, s)
	dropSealedWhenDone(t)
}

func setDetail(t *store.Txn, key string, v any) {
	if t.Details == nil {
		t.Details = map[string]json.RawMessage{}
	}
	b, _ := json.Marshal(v)
	t.Details[key] = b
}

func detailString(t *store.Txn, key string) string {
	var s string
	if raw, ok := t.Details[key]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

// Causation returns the id of the last command applied to t.
func Causation(t *store.Txn) string { return detailString(t, detailCausation) }
