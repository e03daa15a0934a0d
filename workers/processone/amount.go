package processone

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Amount is a dollar amount. It is sent as a JSON number written from the
// decimal's own digits (never through float64) and read back exactly.
type Amount struct{ decimal.Decimal }

// AmountOf wraps d.
func AmountOf(d decimal.Decimal) Amount { return Amount{d} }

// Dollars parses a decimal dollar string such as "20.00".
func Dollars(s string) (Amount, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Amount{}, fmt.Errorf("processone: amount %q: %w", s, err)
	}
	return Amount{d}, nil
}

// MustDollars is Dollars for constants; it panics on a malformed string.
func MustDollars(s string) Amount {
	a, err := Dollars(s)
	if err != nil {
		panic(err)
	}
	return a
}

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
