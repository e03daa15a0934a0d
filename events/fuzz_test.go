package events

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParseCommand: any bytes either parse into a valid envelope or give a
// FieldError; never a panic, never a valid envelope that fails Validate.
func FuzzParseCommand(f *testing.F) {
	f.Add([]byte(`{"specversion":"1.0","id":"c-1","source":"pos","type":"charge.create","data":{"amount":"1.00"}}`))
	f.Add([]byte(`{"specversion":"1.0","id":"","data":null}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"specversion":"1.0","id":"c","source":"s","type":"t","data":{}}{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCommand(b)
		if err == nil && c.Validate() != nil {
			t.Fatal("accepted an invalid envelope")
		}
		if err != nil {
			if _, ok := err.(*FieldError); !ok {
				t.Fatalf("error %T is not a FieldError", err)
			}
			return
		}
		if _, err := DataHash(c.Data); err != nil && json.Valid(c.Data) {
			t.Fatalf("valid data did not hash: %v", err)
		}
	})
}

// FuzzParseAmount: an accepted amount round-trips through minor units.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"10.50", "0.01", "1e3", "-1", "999999999999.99", "1.234"} {
		f.Add(s, "ZAR")
		f.Add(s, "KWD")
	}
	f.Fuzz(func(t *testing.T, s, cur string) {
		d, err := ParseAmount("amount", s, cur, false)
		if err != nil {
			return
		}
		if !d.IsPositive() {
			t.Fatalf("accepted %q as %s", s, d)
		}
		places, _ := MinorUnits(cur)
		minor := ToMinor(d, cur)
		if back := d.Shift(places).IntPart(); back != minor || !d.Shift(places).IsInteger() {
			t.Fatalf("%q in %s is not whole minor units", s, cur)
		}
	})
}

// FuzzParseCommandSubject: parsed parts rebuild the subject.
func FuzzParseCommandSubject(f *testing.F) {
	f.Add("pay.cmd.m-1.charge.create")
	f.Add("pay.cmd..")
	f.Fuzz(func(t *testing.T, s string) {
		m, typ, err := ParseCommandSubject(s)
		if err == nil && CommandSubject(m, typ) != s {
			t.Fatalf("%q → %q %q", s, m, typ)
		}
	})
}

// FuzzConsentAuth: whatever a consent's auth holds, a refusal never
// repeats its card number, CVV, PIN or account number (digit strings, as
// real ones are; the fixed messages hold no run of 3 digits).
func FuzzConsentAuth(f *testing.F) {
	f.Add("card", "4111111111111112", "12x", "99")
	f.Add("card", "4111111111111111", "123", "12345678")
	f.Add("bank.account", "12", "", "")
	f.Add("wallet", "0001131256", "347", "1111")
	f.Fuzz(func(t *testing.T, typ, number, cvv, pin string) {
		auth, _ := json.Marshal(map[string]any{"type": typ, "number": number, "cvv": cvv, "pin": pin,
			"account_number": number, "expiry_month": 1, "expiry_year": 2030})
		d := ConsentCreateData{Auth: auth, Customer: json.RawMessage(`{"customer_ref":"c"}`), Amount: "1", Currency: "NGN"}
		_, err := d.Validate()
		if err == nil {
			return
		}
		for _, s := range []string{number, cvv, pin} {
			if len(s) >= 3 && digitsRe.MatchString(s) && strings.Contains(err.Error(), s) {
				t.Fatalf("the refusal %q repeats a secret", err)
			}
		}
	})
}
