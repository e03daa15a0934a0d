package provider_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/workers/provider"
)

// sameJSON reports whether a and b hold the same JSON value, numbers
// compared digit for digit.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	return reflect.DeepEqual(decode(t, a), decode(t, b))
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("not JSON: %s: %v", b, err)
	}
	return v
}

// TestRedactCardNumbers: a string or number that passes the Luhn check is
// masked to its BIN and last four wherever it is: any field, any depth,
// inside text, grouped with spaces or dashes; other digits are kept.
func TestRedactCardNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"string field", `{"description":"4111111111111111"}`, `{"description":"411111******1111"}`},
		{"deep in arrays", `{"a":[{"b":["x",{"c":"5555555555554444"}]}]}`, `{"a":[{"b":["x",{"c":"555555******4444"}]}]}`},
		{"top-level string", `"378282246310005"`, `"378282*****0005"`},
		{"number", `{"ref":4111111111111111}`, `{"ref":"411111******1111"}`},
		{"19-digit number", `{"ref":6212345678901234569}`, `{"ref":"621234*********4569"}`},
		{"inside text", `{"message":"card 4111111111111111 was declined"}`, `{"message":"card 411111******1111 was declined"}`},
		{"grouped with spaces", `{"message":"card 4111 1111 1111 1111."}`, `{"message":"card 411111******1111."}`},
		{"grouped with dashes", `{"m":"5555-5555-5555-4444"}`, `{"m":"555555******4444"}`},
		{"in a key", `{"4111111111111111":true}`, `{"411111******1111":true}`},
		{"not Luhn", `{"order":"4111111111111112","n":4111111111111112}`, `{"order":"4111111111111112","n":4111111111111112}`},
		{"too short", `{"phone":"08031234567"}`, `{"phone":"08031234567"}`},
		{"too long", `{"ref":"41111111111111111111111"}`, `{"ref":"41111111111111111111111"}`},
		{"amounts kept exact", `{"amount":12345678901234567890.5,"minor":9007199254740993}`, `{"amount":12345678901234567890.5,"minor":9007199254740993}`},
	} {
		got := provider.Redact([]byte(tc.in), 1<<10)
		if !json.Valid(got) || !sameJSON(t, got, []byte(tc.want)) {
			t.Errorf("%s: Redact(%s) = %s, want %s", tc.name, tc.in, got, tc.want)
		}
	}
}

// TestRedactSensitiveKeys: the values of sensitive fields are replaced at
// any depth, whatever their type and however the key is spelled.
func TestRedactSensitiveKeys(t *testing.T) {
	t.Parallel()
	in := `{
		"cardNumber": "4111111111111111", "cvv": "123", "expiryDate": "12/30",
		"card": {"number": "5555555555554444", "CVC": 987, "expiry_month": "12", "expiry_year": "2030"},
		"auth": [{"pin": {"pin": "1234", "type": "CLEAR_PIN"}}, {"otp": "123456"}, {"value": "555111"}],
		"secure": {"blob": "x"}, "Authorization": "Bearer sk_live_abc", "api-key": "k", "password": "p",
		"client_secret": "s", "transactionToken": "t", "provider_token": "pt", "track2": "4111111111111111=3012",
		"nested": {"deeper": {"card_number": "4012888888881881", "CVV2": "321", "otp": null}},
		"amount": "150.00", "currency": "NGN", "status": "approved"
	}`
	want := `{
		"cardNumber": "[redacted]", "cvv": "[redacted]", "expiryDate": "[redacted]",
		"card": {"number": "[redacted]", "CVC": "[redacted]", "expiry_month": "[redacted]", "expiry_year": "[redacted]"},
		"auth": [{"pin": "[redacted]"}, {"otp": "[redacted]"}, {"value": "[redacted]"}],
		"secure": "[redacted]", "Authorization": "[redacted]", "api-key": "[redacted]", "password": "[redacted]",
		"client_secret": "[redacted]", "transactionToken": "[redacted]", "provider_token": "[redacted]", "track2": "[redacted]",
		"nested": {"deeper": {"card_number": "[redacted]", "CVV2": "[redacted]", "otp": null}},
		"amount": "150.00", "currency": "NGN", "status": "approved"
	}`
	got := provider.Redact([]byte(in), 1<<12)
	if !sameJSON(t, got, []byte(want)) {
		t.Errorf("Redact = %s\nwant %s", got, want)
	}
	for _, clear := range []string{"4111111111111111", "5555555555554444", "4012888888881881", "123", "987", "1234", "123456", "555111", "sk_live_abc", "12/30"} {
		if strings.Contains(string(got), clear) {
			t.Errorf("redacted body still holds %q: %s", clear, got)
		}
	}
}

// TestRedactNotJSON: a body that cannot be inspected is not kept, only its
// length; an empty body is nothing.
func TestRedactNotJSON(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		"cardNumber=4111111111111111&cvv=123",
		"<html><body>card 4111111111111111 cvv 123</body></html>",
		`{"cardNumber":"4111111111111111","cvv":"123"`, // truncated JSON
		`{"ok":true} cardNumber=4111111111111111&cvv=123`,
		`{"ok":true} {"cardNumber":"4111111111111111"}`,
	} {
		got := provider.Redact([]byte(body), 1<<10)
		var note string
		if err := json.Unmarshal(got, &note); err != nil || !strings.HasPrefix(note, "[not JSON") {
			t.Errorf("Redact(%q) = %s, want a note", body, got)
		}
		if strings.Contains(string(got), "4111") || strings.Contains(string(got), "123") {
			t.Errorf("Redact(%q) kept the body: %s", body, got)
		}
	}
	for _, body := range []string{"", "  \n"} {
		if got := provider.Redact([]byte(body), 1<<10); got != nil {
			t.Errorf("Redact(%q) = %s, want nil", body, got)
		}
	}
}

// TestRedactBounded: a redacted body over the bound is replaced by a note
// of its size; one within it is kept whole.
func TestRedactBounded(t *testing.T) {
	t.Parallel()
	const max = 512
	small := `{"id":"abc","items":["a","b"]}`
	if got := provider.Redact([]byte(small), max); !sameJSON(t, got, []byte(small)) {
		t.Errorf("small body: %s, want it whole", got)
	}
	big, err := json.Marshal(map[string]any{"items": strings.Split(strings.Repeat("4111111111111111,", 200), ","),
		"cvv": "123"})
	if err != nil {
		t.Fatal(err)
	}
	got := provider.Redact(big, max)
	if len(got) > max || !json.Valid(got) {
		t.Fatalf("big body: %d bytes (bound %d), valid %v: %.200s", len(got), max, json.Valid(got), got)
	}
	if strings.Contains(string(got), "4111111111111111") {
		t.Errorf("big body kept a card number: %s", got)
	}
}

// TestRedactOTPAndPINKeys: keys that carry an OTP or a PIN under other
// spellings are redacted too.
func TestRedactOTPAndPINKeys(t *testing.T) {
	got := string(provider.Redact([]byte(`{"otpCode":"123456","otp_value":"654321","pinBlock":"0412AC","userOTP":"111222","shipping":"road"}`), 1<<10))
	for _, clear := range []string{"123456", "654321", "0412AC", "111222"} {
		if strings.Contains(got, clear) {
			t.Errorf("%s left in clear: %s", clear, got)
		}
	}
	if !strings.Contains(got, `"road"`) {
		t.Errorf("shipping redacted: %s", got)
	}
}

// TestRedactProcessOneFields: ProcessOne's own names for the card's CVV
// (ValidationValue), the card and account numbers, the saved-method token
// (Token, ProcessOneToken) and the key are hidden in a provider-call record.
func TestRedactProcessOneFields(t *testing.T) {
	t.Parallel()
	in := `{"Amount":10.00,"CreditCard":{"Number":"4444444444444125","ValidationValue":"123","ExpirationMonth":12,
		"Holder":{"Name":"John Stevens"}},"EftDetails":{"AccountNumber":"1234567890","RoutingNumber":"121042882"},
		"Token":"tok-abc","TransactionInformation":{"ProcessOneToken":"tok-def"},"AuthenticationKey":"key-1"}`
	got := string(provider.Redact([]byte(in), 1<<12))
	for _, secret := range []string{`"123"`, "4444444444444125", "1234567890", "tok-abc", "tok-def", "key-1"} {
		if strings.Contains(got, secret) {
			t.Errorf("redacted body still shows %s: %s", secret, got)
		}
	}
	if !strings.Contains(got, "John Stevens") || !strings.Contains(got, "121042882") {
		t.Errorf("redaction hid more than the secrets: %s", got)
	}
}
