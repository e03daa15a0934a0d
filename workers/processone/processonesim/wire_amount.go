package processonesim

import "github.com/shopspring/decimal"

// Amount is a dollar amount. It is sent as a JSON number written from the
// decimal's own digits (never through float64) and read back exactly.
type Amount struct{ decimal.Decimal }

// AmountOf wraps d.
func AmountOf(d decimal.Decimal) Amount { return Amount{d} }

// Cents reports whether the amount has at most two decimal places, the only
// amounts ProcessOne can move.
func (a Amount) Cents() bool { return a.Equal(a.Truncate(2)) }

// MarshalJSON writes the amount as a JSON number with at least two decimals.
func (a Amount) MarshalJSON() ([]byte, error) {
	if a.Cents() {
		return []byte(a.StringFixed(2)), nil
	}
	return []byte(a.String()), nil
}

// Ptr returns a pointer to a copy of a, for optional fields.
func (a Amount) Ptr() *Amount { return &a }
