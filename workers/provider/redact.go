package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Redacted replaces every value Redact hides.
const Redacted = "[redacted]"

// sensitive are the (lower-cased, separator-free) field names whose values
// never leave the connector in clear: card numbers, CVVs, PINs, OTPs,
// credentials, tokens, the meter's track2 data, OnePipe's secure blob,
// ProcessOne's CVV (ValidationValue).
var sensitive = []string{
	"cardnumber", "pan", "number", "cvv", "cvc", "cvv2", "securitycode", "pin", "otp", "password", "secret",
	"authenticationkey", "apikey", "transactiontoken", "token", "providertoken", "track2", "track2data",
	"secure", "accountnumber", "bankaccountnumber", "expiry", "expirydate", "expirymonth", "expiryyear",
	"authorization", "value", "validationvalue",
}

// Redact returns body with the values of sensitive fields replaced, any
// card number elsewhere (a string, a number, a key, or digits inside a text,
// grouped or not) masked to its BIN and last four, and the result bounded to
// max bytes. Numbers are kept digit for digit. A body that is not JSON is
// replaced by a note of its length: it cannot be inspected, so it is not
// kept.
func Redact(body []byte, max int) json.RawMessage {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	v, err := decodeJSON(body)
	if err != nil {
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
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[maskText(k)] = redactValue(val, k)
		}
		return out
	case []any:
		for i, val := range x {
			x[i] = redactValue(val, key)
		}
		return x
	case string:
		return maskText(x)
	case json.Number:
		if looksLikePAN(string(x)) {
			return maskPAN(string(x))
		}
	}
	return v
}

// decodeJSON decodes one JSON value, numbers as json.Number: a card number
// sent as a number is checked digit for digit, and amounts are not rounded.
func decodeJSON(body []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, errTrailing
	}
	return v, nil
}

var errTrailing = errors.New("data after the JSON value")

// digitRun is a run of digits, possibly grouped by single spaces or dashes
// ("4111 1111 1111 1111").
var digitRun = regexp.MustCompile(`\d+(?:[ -]\d+)*`)

// maskText masks every card number in s: a run of digits, grouped or not,
// that passes the Luhn check, or one group of such a run that does.
func maskText(s string) string {
	if countDigits(s) < 12 {
		return s
	}
	return digitRun.ReplaceAllStringFunc(s, func(run string) string {
		if digits := separators.Replace(run); looksLikePAN(digits) {
			return maskPAN(digits)
		}
		return groupDigits.ReplaceAllStringFunc(run, maskPAN)
	})
}

var (
	groupDigits = regexp.MustCompile(`\d+`)
	separators  = strings.NewReplacer(" ", "", "-", "")
)

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// keySeparators are dropped from a key before it is compared.
var keySeparators = strings.NewReplacer("_", "", "-", "", ".", "")

func isSensitive(key string) bool {
	if key == "" {
		return false
	}
	k := strings.ToLower(keySeparators.Replace(key))
	for _, s := range sensitive {
		if k == s {
			return true
		}
	}
	return strings.Contains(k, "cardnumber") || strings.Contains(k, "cvv") || strings.Contains(k, "secret") ||
		strings.Contains(k, "password") || strings.HasSuffix(k, "token") || strings.HasSuffix(k, "pin") ||
		strings.HasPrefix(k, "otp") || strings.HasSuffix(k, "otp") || strings.HasPrefix(k, "pin")
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
