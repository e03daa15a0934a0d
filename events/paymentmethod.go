package events

import (
	"encoding/json"
	"regexp"
)

// CardMethod is a card payment method of charge.create, as a card-not-present
// provider (ProcessOne) takes it. The number and CVV are sealed until the
// charge call and never shown: the resource keeps BIN, last 4, expiry and
// holder name.
type CardMethod struct {
	Type        string `json:"type"` // "card"
	CardNumber  string `json:"card_number"`
	CVV         string `json:"cvv,omitempty"`
	ExpiryMonth int    `json:"expiry_month"`
	ExpiryYear  int    `json:"expiry_year"` // four digits
	HolderName  string `json:"holder_name,omitempty"`
	Zip         string `json:"zip,omitempty"`
}

// BankAccountMethod is a bank account (EFT debit) payment method.
type BankAccountMethod struct {
	Type          string `json:"type"` // "bank_account"
	RoutingNumber string `json:"routing_number"`
	AccountNumber string `json:"account_number"`
	AccountType   string `json:"account_type"` // checking | savings
	HolderName    string `json:"holder_name"`
}

// TokenMethod is a saved payment method, by our id (pm_…).
type TokenMethod struct {
	Type  string `json:"type"` // "token"
	Token string `json:"token"`
}

var (
	pmIDRe    = regexp.MustCompile(`^pm_[A-Za-z0-9]{16,40}$`)
	digitsRe  = regexp.MustCompile(`^[0-9]+$`)
	holderMax = 100
)

// IsPaymentMethodID reports whether s is one of our saved payment method
// ids (pm_ and 16-40 letters and digits).
func IsPaymentMethodID(s string) bool { return pmIDRe.MatchString(s) }

// PaymentMethodType reads the type of a payment method object ("" when it
// has none).
func PaymentMethodType(raw json.RawMessage) string {
	var t struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &t)
	return t.Type
}

// ValidateCardMethod checks a card-not-present card: a Luhn-valid number,
// a 3-4 digit CVV when given, an expiry month and four-digit year.
func ValidateCardMethod(field string, raw json.RawMessage) (CardMethod, error) {
	var c CardMethod
	if err := Decode(raw, &c); err != nil {
		return c, err
	}
	if !validCardNumber(c.CardNumber) {
		return c, Invalid(field+".card_number", "must be a string of 12-19 digits (no spaces) that passes the Luhn check")
	}
	if c.CVV != "" && (len(c.CVV) < 3 || len(c.CVV) > 4 || !digitsRe.MatchString(c.CVV)) {
		return c, Invalid(field+".cvv", "must be 3 or 4 digits")
	}
	if c.ExpiryMonth < 1 || c.ExpiryMonth > 12 {
		return c, Invalid(field+".expiry_month", "must be 1-12")
	}
	if c.ExpiryYear < 2000 || c.ExpiryYear > 2099 {
		return c, Invalid(field+".expiry_year", "must be a four-digit year")
	}
	if len(c.HolderName) > holderMax {
		return c, Invalid(field+".holder_name", "longer than %d characters", holderMax)
	}
	if len(c.Zip) > 10 {
		return c, Invalid(field+".zip", "longer than 10 characters")
	}
	return c, nil
}

// ValidateBankAccountMethod checks a bank account for an EFT debit.
func ValidateBankAccountMethod(field string, raw json.RawMessage) (BankAccountMethod, error) {
	var b BankAccountMethod
	if err := Decode(raw, &b); err != nil {
		return b, err
	}
	if len(b.RoutingNumber) != 9 || !digitsRe.MatchString(b.RoutingNumber) {
		return b, Invalid(field+".routing_number", "must be 9 digits")
	}
	if len(b.AccountNumber) < 4 || len(b.AccountNumber) > 17 || !digitsRe.MatchString(b.AccountNumber) {
		return b, Invalid(field+".account_number", "must be 4-17 digits")
	}
	switch b.AccountType {
	case "checking", "savings":
	default:
		return b, Invalid(field+".account_type", "must be checking or savings")
	}
	if b.HolderName == "" || len(b.HolderName) > holderMax {
		return b, Invalid(field+".holder_name", "is required, at most %d characters", holderMax)
	}
	return b, nil
}

// ValidateTokenMethod checks a saved payment method reference.
func ValidateTokenMethod(field string, raw json.RawMessage) (TokenMethod, error) {
	var t TokenMethod
	if err := Decode(raw, &t); err != nil {
		return t, err
	}
	if !IsPaymentMethodID(t.Token) {
		return t, Invalid(field+".token", "must be a saved payment method id (pm_…)")
	}
	return t, nil
}
