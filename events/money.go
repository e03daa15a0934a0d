package events

import (
	"strings"

	"github.com/shopspring/decimal"
)

// minorUnits is ISO 4217's number of decimal places per currency, for the
// currencies Switchyard accepts.
var minorUnits = map[string]int32{
	"AED": 2, "AUD": 2, "BHD": 3, "BRL": 2, "BWP": 2, "CAD": 2, "CHF": 2, "CNY": 2,
	"CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "GHS": 2, "HKD": 2, "HUF": 2,
	"IDR": 2, "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0, "KES": 2, "KRW": 0, "KWD": 3,
	"LSL": 2, "MUR": 2, "MWK": 2, "MXN": 2, "MZN": 2, "NAD": 2, "NGN": 2, "NOK": 2,
	"NZD": 2, "OMR": 3, "PLN": 2, "QAR": 2, "RWF": 0, "SAR": 2, "SEK": 2, "SGD": 2,
	"SZL": 2, "TND": 3, "TRY": 2, "TZS": 2, "UGX": 0, "USD": 2, "XAF": 0, "XOF": 0,
	"ZAR": 2, "ZMW": 2,
}

// MinorUnits returns the number of decimal places of an ISO 4217 currency.
func MinorUnits(currency string) (int32, bool) {
	n, ok := minorUnits[currency]
	return n, ok
}

// maxAmount bounds any amount: far above any card payment, far below overflow
// of the minor-unit integers providers use.
var maxAmount = decimal.New(1, 12)

// ParseCurrency validates an ISO 4217 code (upper case, known).
func ParseCurrency(field, s string) (string, error) {
	if s == "" {
		return "", Invalid(field, "is required")
	}
	if s != strings.ToUpper(s) || len(s) != 3 {
		return "", Invalid(field, "must be an upper-case ISO 4217 code such as ZAR")
	}
	if _, ok := minorUnits[s]; !ok {
		return "", Invalid(field, "unsupported currency %q", s)
	}
	return s, nil
}

// ParseAmount parses a decimal string amount in a currency: positive (or zero
// when allowZero), no more decimal places than the currency's minor unit,
// no exponent, no sign, no spaces.
func ParseAmount(field, s, currency string, allowZero bool) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Zero, Invalid(field, "is required")
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return decimal.Zero, Invalid(field, "must be a decimal string such as \"10.50\"")
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, Invalid(field, "must be a decimal string such as \"10.50\"")
	}
	places, ok := minorUnits[currency]
	if !ok {
		return decimal.Zero, Invalid("currency", "unsupported currency %q", currency)
	}
	switch {
	case d.IsZero() && !allowZero:
		return decimal.Zero, Invalid(field, "must be greater than zero")
	case d.GreaterThanOrEqual(maxAmount):
		return decimal.Zero, Invalid(field, "is too large")
	case !d.Equal(d.Truncate(places)):
		return decimal.Zero, Invalid(field, "has more than %d decimal places for %s", places, currency)
	}
	return d, nil
}

// FormatAmount writes an amount with exactly the currency's decimal places.
func FormatAmount(d decimal.Decimal, currency string) string {
	places, ok := minorUnits[currency]
	if !ok {
		places = 2
	}
	return d.StringFixed(places)
}

// ToMinor converts an amount to the currency's minor units (cents).
func ToMinor(d decimal.Decimal, currency string) int64 {
	places := minorUnits[currency]
	return d.Shift(places).IntPart()
}
