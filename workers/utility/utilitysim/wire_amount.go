package utilitysim

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// LedgerIndicator says whether an amount is a debit or a credit.
type LedgerIndicator string

// Ledger indicators.
const (
	Debit  LedgerIndicator = "DEBIT"
	Credit LedgerIndicator = "CREDIT"
)

// LedgerAmount is the seed's LedgerAmount: an amount in the currency's
// minor unit (cents for ZAR), its currency, and optionally DEBIT/CREDIT.
// Amount is an integer on the wire; a fractional number is rejected.
type LedgerAmount struct {
	Amount          int64           `json:"amount"`
	Currency        string          `json:"currency"`
	LedgerIndicator LedgerIndicator `json:"ledgerIndicator,omitempty"`
}

// minorExponents maps ISO 4217 alphabetic and numeric codes to the number of
// decimal places of the minor unit.
var minorExponents = map[string]int32{
	"ZAR": 2, "710": 2, "USD": 2, "840": 2, "EUR": 2, "978": 2, "GBP": 2, "826": 2,
	"NGN": 2, "566": 2, "KES": 2, "404": 2, "BWP": 2, "072": 2, "NAD": 2, "516": 2,
	"LSL": 2, "426": 2, "SZL": 2, "748": 2, "ZMW": 2, "967": 2, "GHS": 2, "936": 2,
	"JPY": 0, "392": 0, "UGX": 0, "800": 0, "RWF": 0, "646": 0,
	"KWD": 3, "414": 3, "BHD": 3, "048": 3,
}

// MinorExponent returns the decimal places of a currency's minor unit, for
// ISO 4217 alphabetic ("ZAR") or numeric ("710") codes.
func MinorExponent(currency string) (int32, bool) {
	e, ok := minorExponents[strings.ToUpper(currency)]
	return e, ok
}

// Number is a JSON number held exactly as a decimal (units, rates, scale
// factors). It is written as a bare JSON number, never a string.
type Number struct{ decimal.Decimal }

// NewNumber wraps d.
func NewNumber(d decimal.Decimal) Number { return Number{d} }

// MarshalJSON writes the number without quotes.
func (n Number) MarshalJSON() ([]byte, error) { return []byte(n.Decimal.String()), nil }

// UnmarshalJSON reads a JSON number (a quoted number is tolerated).
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*n = Number{}
		return nil
	}
	d, err := decimal.NewFromString(strings.Trim(string(b), `"`))
	if err != nil {
		return fmt.Errorf("utility: not a number: %w", err)
	}
	n.Decimal = d
	return nil
}

// TaxedAmount is the seed's amount with tax: amount and tax in minor units,
// the tax rate as a percentage (15 for 15% VAT).
type TaxedAmount struct {
	Tax             int64           `json:"tax"`
	TaxType         string          `json:"taxType,omitempty"`
	TaxRate         Number          `json:"taxRate"`
	Amount          int64           `json:"amount"`
	Currency        string          `json:"currency"`
	LedgerIndicator LedgerIndicator `json:"ledgerIndicator,omitempty"`
}
