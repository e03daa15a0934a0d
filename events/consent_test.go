package events

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// decodeValidate decodes data strictly, as a lifecycle's Parse does, then
// runs v's Validate.
func decodeValidate(data string, v interface{ validate() error }) error {
	if err := Decode(json.RawMessage(data), v); err != nil {
		return err
	}
	return v.validate()
}

func (d *ConsentCreateData) validate() error   { _, err := d.Validate(); return err }
func (d *ConsentValidateData) validate() error { return d.Validate() }
func (d *HoldCreateData) validate() error      { _, err := d.Validate(); return err }
func (d *HoldReleaseData) validate() error     { return d.Validate() }
func (d *HoldCaptureData) validate() error     { return d.Validate() }

const (
	goodCustomer = `"customer":{"customer_ref":"cus-1","firstname":"Uju","surname":"Usmanu","email":"uju@example.com","mobile_no":"234802343132"}`
	goodCard     = `"auth":{"type":"card","number":"4111111111111111","cvv":"123","expiry_month":12,"expiry_year":2030,"pin":"1234"}`
	goodBank     = `"auth":{"type":"bank.account","account_number":"0001131256","bank_code":"058"}`
	goodWallet   = `"auth":{"type":"wallet","wallet_id":"w-12345"}`
	uuidA        = "3b241101-e2bb-4255-8caf-4136c566a962"
)

func consent(auth string, rest ...string) string {
	parts := append([]string{auth, goodCustomer, `"amount":"1.00"`, `"currency":"NGN"`}, rest...)
	return "{" + strings.Join(parts, ",") + "}"
}

// TestConsentHoldValidate: each command's data, valid and invalid, every
// error naming its field; no error repeats a secret (card number, CVV, PIN,
// account number, OTP).
func TestConsentHoldValidate(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		v          interface{ validate() error }
		field      string // "" = valid
	}{
		{"consent card", consent(goodCard), &ConsentCreateData{}, ""},
		{"consent bank account", consent(goodBank, `"reference":"c-1"`, `"metadata":{"k":"v"}`), &ConsentCreateData{}, ""},
		{"consent wallet", consent(goodWallet), &ConsentCreateData{}, ""},
		{"consent card without pin", consent(`"auth":{"type":"card","number":"4111111111111111","cvv":"123","expiry_month":1,"expiry_year":2031}`), &ConsentCreateData{}, ""},
		{"consent no auth", `{` + goodCustomer + `,"amount":"1.00","currency":"NGN"}`, &ConsentCreateData{}, "data.auth"},
		{"consent unknown auth type", consent(`"auth":{"type":"cash"}`), &ConsentCreateData{}, "data.auth.type"},
		{"consent bad card number", consent(`"auth":{"type":"card","number":"4111111111111112","cvv":"123","expiry_month":12,"expiry_year":2030}`), &ConsentCreateData{}, "data.auth.number"},
		{"consent bad cvv", consent(`"auth":{"type":"card","number":"4111111111111111","cvv":"12a","expiry_month":12,"expiry_year":2030}`), &ConsentCreateData{}, "data.auth.cvv"},
		{"consent bad month", consent(`"auth":{"type":"card","number":"4111111111111111","cvv":"123","expiry_month":13,"expiry_year":2030}`), &ConsentCreateData{}, "data.auth.expiry_month"},
		{"consent bad year", consent(`"auth":{"type":"card","number":"4111111111111111","cvv":"123","expiry_month":12,"expiry_year":30}`), &ConsentCreateData{}, "data.auth.expiry_year"},
		{"consent bad pin", consent(`"auth":{"type":"card","number":"4111111111111111","cvv":"123","expiry_month":12,"expiry_year":2030,"pin":"12"}`), &ConsentCreateData{}, "data.auth.pin"},
		{"consent card with a wallet id", consent(`"auth":{"type":"card","number":"4111111111111111","cvv":"123","expiry_month":12,"expiry_year":2030,"wallet_id":"w"}`), &ConsentCreateData{}, "data.auth.wallet_id"},
		{"consent bad account", consent(`"auth":{"type":"bank.account","account_number":"12","bank_code":"058"}`), &ConsentCreateData{}, "data.auth.account_number"},
		{"consent bad bank code", consent(`"auth":{"type":"bank.account","account_number":"0001131256","bank_code":""}`), &ConsentCreateData{}, "data.auth.bank_code"},
		{"consent bank with a cvv", consent(`"auth":{"type":"bank.account","account_number":"0001131256","bank_code":"058","cvv":"123"}`), &ConsentCreateData{}, "data.auth.cvv"},
		{"consent no wallet id", consent(`"auth":{"type":"wallet"}`), &ConsentCreateData{}, "data.auth.wallet_id"},
		{"consent unknown auth field", consent(`"auth":{"type":"wallet","wallet_id":"w","x":1}`), &ConsentCreateData{}, "data.auth.x"},
		{"consent no customer", `{` + goodCard + `,"amount":"1.00","currency":"NGN"}`, &ConsentCreateData{}, "data.customer"},
		{"consent no customer ref", `{` + goodCard + `,"customer":{"firstname":"U"},"amount":"1.00","currency":"NGN"}`, &ConsentCreateData{}, "data.customer.customer_ref"},
		{"consent bad email", `{` + goodCard + `,"customer":{"customer_ref":"c","email":"nope"},"amount":"1.00","currency":"NGN"}`, &ConsentCreateData{}, "data.customer.email"},
		{"consent bad mobile", `{` + goodCard + `,"customer":{"customer_ref":"c","mobile_no":"12ab"},"amount":"1.00","currency":"NGN"}`, &ConsentCreateData{}, "data.customer.mobile_no"},
		{"consent no amount", `{` + goodCard + `,` + goodCustomer + `,"currency":"NGN"}`, &ConsentCreateData{}, "data.amount"},
		{"consent no currency", `{` + goodCard + `,` + goodCustomer + `,"amount":"1.00"}`, &ConsentCreateData{}, "data.currency"},
		{"consent bad reference", consent(goodCard, `"reference":"a b"`), &ConsentCreateData{}, "data.reference"},
		{"consent unknown field", consent(goodCard, `"provider_token":"x"`), &ConsentCreateData{}, "data.provider_token"},

		{"validate otp", `{"transaction_id":"` + uuidA + `","otp":"123456"}`, &ConsentValidateData{}, ""},
		{"validate value", `{"transaction_id":"` + uuidA + `","value":"1.27"}`, &ConsentValidateData{}, ""},
		{"validate no id", `{"otp":"123456"}`, &ConsentValidateData{}, "data.transaction_id"},
		{"validate bad id", `{"transaction_id":"x","otp":"123456"}`, &ConsentValidateData{}, "data.transaction_id"},
		{"validate neither", `{"transaction_id":"` + uuidA + `"}`, &ConsentValidateData{}, "data.otp"},
		{"validate both", `{"transaction_id":"` + uuidA + `","otp":"123456","value":"1"}`, &ConsentValidateData{}, "data.value"},
		{"validate bad otp", `{"transaction_id":"` + uuidA + `","otp":"12a456"}`, &ConsentValidateData{}, "data.otp"},
		{"validate long value", `{"transaction_id":"` + uuidA + `","value":"` + strings.Repeat("9", 65) + `"}`, &ConsentValidateData{}, "data.value"},

		{"hold", `{"consent_id":"` + uuidA + `","amount":"500.00","currency":"NGN","reference":"h-1","metadata":{"k":"v"}}`, &HoldCreateData{}, ""},
		{"hold no consent", `{"amount":"500.00","currency":"NGN"}`, &HoldCreateData{}, "data.consent_id"},
		{"hold bad consent", `{"consent_id":"c","amount":"500.00","currency":"NGN"}`, &HoldCreateData{}, "data.consent_id"},
		{"hold no amount", `{"consent_id":"` + uuidA + `","currency":"NGN"}`, &HoldCreateData{}, "data.amount"},
		{"hold zero amount", `{"consent_id":"` + uuidA + `","amount":"0","currency":"NGN"}`, &HoldCreateData{}, "data.amount"},
		{"hold bad currency", `{"consent_id":"` + uuidA + `","amount":"5","currency":"XXX"}`, &HoldCreateData{}, "data.currency"},
		{"hold bad reference", `{"consent_id":"` + uuidA + `","amount":"5","currency":"NGN","reference":"a b"}`, &HoldCreateData{}, "data.reference"},

		{"release", `{"transaction_id":"` + uuidA + `"}`, &HoldReleaseData{}, ""},
		{"release no id", `{}`, &HoldReleaseData{}, "data.transaction_id"},
		{"release bad id", `{"transaction_id":"1"}`, &HoldReleaseData{}, "data.transaction_id"},

		{"capture all", `{"transaction_id":"` + uuidA + `"}`, &HoldCaptureData{}, ""},
		{"capture part", `{"transaction_id":"` + uuidA + `","amount":"10.50"}`, &HoldCaptureData{}, ""},
		{"capture no id", `{"amount":"10"}`, &HoldCaptureData{}, "data.transaction_id"},
		{"capture bad amount", `{"transaction_id":"` + uuidA + `","amount":"ten"}`, &HoldCaptureData{}, "data.amount"},
		{"capture negative amount", `{"transaction_id":"` + uuidA + `","amount":"-1"}`, &HoldCaptureData{}, "data.amount"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := decodeValidate(tc.data, tc.v)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("valid data refused: %v", err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("err = %v, want one naming %s", err, tc.field)
			}
			for _, secret := range []string{"4111111111111112", "12a", "0001131256", "12a456"} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("the error repeats a secret: %v", err)
				}
			}
		})
	}
}

// A consent's auth is masked for showing: BIN and last 4 of a card, last 4
// of an account, never the rest.
func TestConsentAuthMasked(t *testing.T) {
	for _, tc := range []struct {
		auth ConsentAuth
		want PaymentMethod
	}{
		{ConsentAuth{Type: AuthCard, Number: "4111111111111111", CVV: "123", ExpiryMonth: 12, ExpiryYear: 2030, PIN: "1234"},
			PaymentMethod{Type: AuthCard, BIN: "411111", Last4: "1111", ExpiryMonth: 12, ExpiryYear: 2030}},
		{ConsentAuth{Type: AuthBankAccount, AccountNumber: "0001131256", BankCode: "058"}, PaymentMethod{Type: AuthBankAccount, Last4: "1256"}},
		{ConsentAuth{Type: AuthWallet, WalletID: "w-12345"}, PaymentMethod{Type: AuthWallet}},
	} {
		if got := tc.auth.Masked(); got != tc.want {
			t.Errorf("%s masked %+v, want %+v", tc.auth.Type, got, tc.want)
		}
	}
}
