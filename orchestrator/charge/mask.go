package charge

import (
	"encoding/json"
	"strings"

	"github.com/switchyard/switchyard/events"
)

// maxShownLength bounds the type and brand a payment method shows: both are
// copied from the command, so both are cut (events.Truncate) to keep every
// event small (TestLargestEventFits).
const maxShownLength = 32

var panKeys = []string{"card_number", "cardNumber", "pan", "number", "account_number"}

// MaskPaymentMethod keeps what may be shown of a payment method: its type,
// the card's BIN and last four and brand; never the number, CVV or PIN.
// Type and brand are bounded to maxShownLength bytes.
func MaskPaymentMethod(raw json.RawMessage) events.PaymentMethod {
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	pm := events.PaymentMethod{Type: "card"}
	if s, ok := m["type"].(string); ok && s != "" {
		pm.Type = events.Truncate(s, maxShownLength)
	}
	if s, ok := m["brand"].(string); ok {
		pm.Brand = events.Truncate(s, maxShownLength)
	}
	for _, k := range panKeys {
		s, ok := m[k].(string)
		if !ok {
			continue
		}
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		if len(digits) >= 12 {
			pm.BIN, pm.Last4 = digits[:6], digits[len(digits)-4:]
		}
		break
	}
	return pm
}
