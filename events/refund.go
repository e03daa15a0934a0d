package events

import (
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// RefundCreateData is refund.create's data (contract §3): the charge, and
// the amount (default: all that is still refundable).
type RefundCreateData struct {
	TransactionID string            `json:"transaction_id"`
	Amount        string            `json:"amount,omitempty"`
	Currency      string            `json:"currency,omitempty"`
	Reason        string            `json:"reason,omitempty"`
	Metadata      map[string]string `json:"metadata,omitempty"`
}

// Validate checks the shape of refund.create. The amount, when given, is
// parsed against the charge's currency by the refund lifecycle (it knows
// the charge); currency, when given, must be a known code.
func (d *RefundCreateData) Validate() error {
	if d.TransactionID == "" {
		return Invalid("data.transaction_id", "is required")
	}
	if _, err := uuid.Parse(d.TransactionID); err != nil {
		return Invalid("data.transaction_id", "must be a UUID")
	}
	if d.Currency != "" {
		if _, err := ParseCurrency("data.currency", d.Currency); err != nil {
			return err
		}
	}
	if d.Amount != "" {
		if _, err := decimal.NewFromString(d.Amount); err != nil {
			return Invalid("data.amount", "must be a decimal string")
		}
	}
	if len(d.Reason) > 200 {
		return Invalid("data.reason", "longer than 200 characters")
	}
	return ValidateMetadata(d.Metadata)
}
