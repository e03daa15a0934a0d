package events

import (
	"github.com/shopspring/decimal"
)

// Hold commands and transaction type (contract §3 consent / hold).
const (
	HoldCreate  = "hold.create"
	HoldRelease = "hold.release"
	HoldCapture = "hold.capture"
	TypeHold    = "hold"
)

// HoldCreateData is hold.create's data: a granted consent, and the amount
// to hold with its token.
type HoldCreateData struct {
	ConsentID string            `json:"consent_id"`
	Amount    string            `json:"amount"`
	Currency  string            `json:"currency"`
	Reference string            `json:"reference,omitempty"`
	Metadata  map[string]string `json:"metadata,omitempty"`
}

// HoldReleaseData is hold.release's data.
type HoldReleaseData struct {
	TransactionID string            `json:"transaction_id"`
	Metadata      map[string]string `json:"metadata,omitempty"`
}

// HoldCaptureData is hold.capture's data: the amount to collect (default:
// all that is held), in the hold's currency.
type HoldCaptureData struct {
	TransactionID string            `json:"transaction_id"`
	Amount        string            `json:"amount,omitempty"`
	Metadata      map[string]string `json:"metadata,omitempty"`
}

// Validate checks hold.create and returns the amount.
func (d *HoldCreateData) Validate() (decimal.Decimal, error) {
	switch {
	case d.ConsentID == "":
		return decimal.Zero, Invalid("data.consent_id", "is required")
	case !isUUID(d.ConsentID):
		return decimal.Zero, Invalid("data.consent_id", "must be a UUID")
	}
	if _, err := ParseCurrency("data.currency", d.Currency); err != nil {
		return decimal.Zero, err
	}
	amt, err := ParseAmount("data.amount", d.Amount, d.Currency, false)
	if err != nil {
		return decimal.Zero, err
	}
	if d.Reference != "" && !referenceRe.MatchString(d.Reference) {
		return decimal.Zero, Invalid("data.reference", "must be 1-64 characters of A-Z a-z 0-9 . _ : / -")
	}
	return amt, ValidateMetadata(d.Metadata)
}

// Validate checks hold.release.
func (d *HoldReleaseData) Validate() error {
	if err := validateTransactionID(d.TransactionID); err != nil {
		return err
	}
	return ValidateMetadata(d.Metadata)
}

// Validate checks hold.capture's shape; the amount is parsed against the
// hold's currency by the hold lifecycle (ParseAmount).
func (d *HoldCaptureData) Validate() error {
	if err := validateTransactionID(d.TransactionID); err != nil {
		return err
	}
	if d.Amount != "" {
		if a, err := decimal.NewFromString(d.Amount); err != nil || !a.IsPositive() {
			return Invalid("data.amount", "must be a positive decimal string such as \"10.50\"")
		}
	}
	return ValidateMetadata(d.Metadata)
}

func validateTransactionID(id string) error {
	switch {
	case id == "":
		return Invalid("data.transaction_id", "is required")
	case !isUUID(id):
		return Invalid("data.transaction_id", "must be a UUID")
	}
	return nil
}
