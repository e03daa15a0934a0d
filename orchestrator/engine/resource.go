package engine

import (
	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// detailCausation is the details key of the id of the last command applied.
const detailCausation = "causation"

// Resource is the public transaction resource of a row: the fields every
// transaction has, and those its lifecycle shows.
func (e *Engine) Resource(t *store.Txn) *events.Transaction {
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
	if l, ok := e.cfg.Lifecycles.ByType(t.Type); ok {
		l.Show(t, r)
	}
	return r
}

// Causation returns the id of the last command applied to t.
func Causation(t *store.Txn) string {
	var s string
	lifecycle.Detail(t, detailCausation, &s)
	return s
}
