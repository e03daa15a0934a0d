package onepipe

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// MinorDigits is the number of minor-unit digits of the amounts OnePipe
// carries (kobo for NGN: 1 naira = 100 kobo).
const MinorDigits = 2

// ErrAmount is returned for an amount that cannot be sent to OnePipe.
var ErrAmount = errors.New("onepipe: invalid amount")

var minorFactor = decimal.New(1, MinorDigits)

// ToMinor converts a major-unit amount (e.g. 100.50 naira) to the integer
// minor units OnePipe's transaction.amount carries (10050 kobo). It refuses
// amounts that are not positive or that have fractions of a minor unit,
// rather than rounding money.
func ToMinor(amount decimal.Decimal) (int64, error) {
	if !amount.IsPositive() {
		return 0, fmt.Errorf("%w: %s is not positive", ErrAmount, amount)
	}
	minor := amount.Mul(minorFactor)
	if !minor.IsInteger() {
		return 0, fmt.Errorf("%w: %s has more than %d decimal places", ErrAmount, amount, MinorDigits)
	}
	if !minor.BigInt().IsInt64() {
		return 0, fmt.Errorf("%w: %s is too large", ErrAmount, amount)
	}
	return minor.IntPart(), nil
}

// FromMinor converts integer minor units back to a major-unit decimal.
func FromMinor(minor int64) decimal.Decimal {
	return decimal.New(minor, -MinorDigits)
}
