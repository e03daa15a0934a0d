package events

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestChargeCreateValidatesCardNumber(t *testing.T) {
	tests := []struct {
		pm    string
		field string // "" when valid
	}{
		{`{"type":"card","card_number":"4111111111111111"}`, ""},
		{`{"type":"card"}`, ""}, // card-present: the device reads the card
		{`{"type":"card","card_number":"5431111111111111","cvv":"123"}`, ""},
		{`{"type":"card","card_number":"341111111111111"}`, ""}, // Amex, 15 digits
		{`{"type":"card","card_number":"4024007167282317"}`, ""},
		{`{"type":"card","number":"4444444444444448"}`, ""},
		{`{"card_number":"4111111111111111"}`, ""},
		{`{"type":"bank_account","account_number":"1234567"}`, ""},
		{`{"type":"token","token":"tok_123"}`, ""},
		{`{"type":"card","card_number":"4111111111111112"}`, "data.payment_method.card_number"},
		{`{"type":"card","number":"4111111111111112"}`, "data.payment_method.number"},
		{`{"type":"card","cardNumber":"4111111111111112"}`, "data.payment_method.cardNumber"},
		{`{"type":"card","pan":"1234567812345678"}`, "data.payment_method.pan"},
		{`{"card_number":"4111111111111112"}`, "data.payment_method.card_number"},
		{`{"type":"card","card_number":"4111 1111 1111 1111"}`, "data.payment_method.card_number"},
		{`{"type":"card","card_number":"4111-1111-1111-1111"}`, "data.payment_method.card_number"},
		{`{"type":"card","card_number":"42"}`, "data.payment_method.card_number"},
		{`{"type":"card","card_number":"00000000000"}`, "data.payment_method.card_number"},          // 11 digits
		{`{"type":"card","card_number":"41111111111111111113"}`, "data.payment_method.card_number"}, // 20 digits
		{`{"type":"card","card_number":"000000000000"}`, "data.payment_method.card_number"},         // all zero
		{`{"type":"card","card_number":4111111111111111}`, "data.payment_method.card_number"},       // not a string
		{`{"type":"card","card_number":""}`, "data.payment_method.card_number"},                     // empty
		{`{"type":"card","card_number":"４１１１１１１１１１１１１１１１"}`, "data.payment_method.card_number"},     // fullwidth
	}
	for _, tt := range tests {
		d := ChargeCreateData{Provider: "onoconnect", Amount: "1.00", Currency: "ZAR", Reference: "r-1",
			PaymentMethod: json.RawMessage(tt.pm)}
		_, err := d.Validate()
		var fe *FieldError
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: %v", tt.pm, err)
		case tt.field != "" && (!errors.As(err, &fe) || fe.Field != tt.field):
			t.Errorf("%s: want field %q, got %v", tt.pm, tt.field, err)
		case fe != nil && strings.Contains(fe.Message, "4111"):
			t.Errorf("%s: the message echoes the number: %q", tt.pm, fe.Message)
		}
	}
}

// FuzzCardNumber: an accepted number is 12-19 ASCII digits, and changing
// any one digit of it makes it fail (the Luhn check catches every
// single-digit error).
func FuzzCardNumber(f *testing.F) {
	for _, s := range []string{"4111111111111111", "4111111111111112", "341111111111111", "", "4111 1111 1111 1111", "０"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !validCardNumber(s) {
			return
		}
		if len(s) < 12 || len(s) > 19 || strings.Trim(s, "0123456789") != "" {
			t.Fatalf("accepted %q", s)
		}
		for i := range s {
			b := []byte(s)
			b[i] = '0' + (s[i]-'0'+1)%10
			if validCardNumber(string(b)) {
				t.Fatalf("accepted %q and %q", s, b)
			}
		}
	})
}
