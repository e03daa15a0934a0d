package provider

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Redacted replaces every value Redact hides.
const Redacted = "[redacted]"

// sensitive are the (lower-cased, separator-free) field names whose values
// never leave the connector in clear: card numbers, CVVs, PINs, OTPs,
// credentials, tokens, the meter's track2 data, OnePipe's secure blob.
var sensitive = []string{
	"cardnumber", "pan", "number", "cvv", "cvc", "cvv2", "securitycode", "pin", "otp", "password", "secret",
	"authenticationkey", "apikey", "transactiontoken", "token", "providertoken", "track2", "track2data",
	"secure", "accountnumber", "bankaccountnumber", "expiry", "expirydate", "expirymonth", "expiryyear",
	"authorization", "value",
}

// Redact returns body with the values of sensitive fields replaced, any
// other string that looks like a card number masked to its BIN and last
// four, and the result bounded to max bytes. A body that is not JSON is
// replaced by a note of its length: it cannot be inspected, so it is not
// kept.
func Redact(body []byte, max int) json.RawMessage {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return json.RawMessage(strconv.Quote("[not JSON: " + strconv.Itoa(len(body)) + " bytes]"))
	}
	out, err := json.Marshal(redactValue(v, ""))
	if err != nil {
		return nil
	}
	if len(out) > max {
		return json.RawMessage(strconv.Quote("[redacted body of " + strconv.Itoa(len(out)) + " bytes, over " + strconv.Itoa(max) + "]"))
	}
	return out
}

func redactValue(v any, key string) any {
	if isSensitive(key) {
		if v == nil {
			return nil
		}
		return Redacted
	}
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			x[k] = redactValue(val, k)
		}
		return x
	case []any:
		for i, val := range x {
			x[i] = redactValue(val, key)
		}
		return x
	case string:
		return maskPAN(x)
	case float64:
		if s := strconv.FormatFloat(x, 'f', -1, 64); looksLikePAN(s) {
			return maskPAN(s)
		}
	}
	return v
}

func isSensitive(key string) bool {
	if key == "" {
		return false
	}
	k := strings.ToLower(strings.NewReplacer("_", "", "-", "", ".", "").Replace(key))
	for _, s := range sensitive {
		if k == s {
			return true
		}
	}
	return strings.Contains(k, "cardnumber") || strings.Contains(k, "cvv") || strings.Contains(k, "secret") ||
		strings.Contains(k, "password") || strings.HasSuffix(k, "token") || strings.HasSuffix(k, "pin")
}

// looksLikePAN reports whether s is 12 to 19 digits passing the Luhn check.
func looksLikePAN(s string) bool {
	if len(s) < 12 || len(s) > 19 {
		return false
	}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[len(s)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func maskPAN(s string) string {
	if !looksLikePAN(s) {
		return s
	}
	return s[:6] + strings.Repeat("*", len(s)-10) + s[len(s)-4:]
}
