package events

import (
	"encoding/json"
)

// cardNumberKeys are the payment method fields that hold a card number (the
// same names engine.MaskPaymentMethod masks).
var cardNumberKeys = []string{"card_number", "cardNumber", "pan", "number"}

// validateCard checks the card number of a card payment method (type "card"
// or no type) when it carries one: a card-present payment method may carry
// none, the device reads the card. Strict: 12-19 ASCII digits, no spaces or
// dashes, passing the Luhn check. The message never repeats the number.
func validateCard(field string, raw json.RawMessage) error {
	var pm map[string]any
	if err := json.Unmarshal(raw, &pm); err != nil {
		return Invalid(field, "must be a JSON object")
	}
	if typ, _ := pm["type"].(string); typ != "" && typ != "card" {
		return nil
	}
	for _, k := range cardNumberKeys {
		v, ok := pm[k]
		if !ok {
			continue
		}
		if s, isString := v.(string); !isString || !validCardNumber(s) {
			return Invalid(field+"."+k, "must be a string of 12-19 digits (no spaces) that passes the Luhn check")
		}
	}
	return nil
}

// validCardNumber reports whether s is 12-19 ASCII digits, not all zero,
// with a valid Luhn check digit.
func validCardNumber(s string) bool {
	if len(s) < 12 || len(s) > 19 {
		return false
	}
	sum, nonZero := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		nonZero = nonZero || d != 0
		if (len(s)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return nonZero && sum%10 == 0
}
