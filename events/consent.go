package events

import (
	"encoding/json"
	"regexp"

	"github.com/shopspring/decimal"
)

// Consent commands and transaction type (contract §3 consent / hold).
const (
	ConsentCreate   = "consent.create"
	ConsentValidate = "consent.validate"
	TypeConsent     = "consent"
)

// Auth types of consent.create (OnePipe's auth.type values).
const (
	AuthCard        = "card"
	AuthBankAccount = "bank.account"
	AuthWallet      = "wallet"
)

// ConsentCreateData is consent.create's data: how the customer is debited
// (auth, a secret: sealed until the provider has answered, never shown),
// who the customer is, and the small verification amount held while the
// consent is asked (released once it is granted).
type ConsentCreateData struct {
	Auth      json.RawMessage   `json:"auth"`     // a ConsentAuth (ParseAuth)
	Customer  json.RawMessage   `json:"customer"` // a ConsentCustomer (ParseCustomer)
	Amount    string            `json:"amount"`
	Currency  string            `json:"currency"`
	Reference string            `json:"reference,omitempty"`
	Metadata  map[string]string `json:"metadata,omitempty"`
}

// ConsentAuth is the customer's card, bank account or wallet. Every field
// but Type, the card's expiry and BankCode is a secret.
type ConsentAuth struct {
	Type string `json:"type"` // card | bank.account | wallet
	// card
	Number      string `json:"number,omitempty"`
	CVV         string `json:"cvv,omitempty"`
	ExpiryMonth int    `json:"expiry_month,omitempty"`
	ExpiryYear  int    `json:"expiry_year,omitempty"` // four digits
	PIN         string `json:"pin,omitempty"`
	// bank.account
	AccountNumber string `json:"account_number,omitempty"`
	BankCode      string `json:"bank_code,omitempty"`
	// wallet
	WalletID string `json:"wallet_id,omitempty"`
}

// ConsentCustomer is the customer a consent is asked of (OnePipe's
// transaction.customer).
type ConsentCustomer struct {
	CustomerRef string `json:"customer_ref"`
	Firstname   string `json:"firstname,omitempty"`
	Surname     string `json:"surname,omitempty"`
	Email       string `json:"email,omitempty"`
	MobileNo    string `json:"mobile_no,omitempty"`
}

// ConsentValidateData is consent.validate's data: the OTP the customer
// received (awaiting_otp), or the value the provider asked for
// (awaiting_validation). Either is a secret: sealed until the call, then
// dropped; never shown or logged.
type ConsentValidateData struct {
	TransactionID string            `json:"transaction_id"`
	OTP           string            `json:"otp,omitempty"`
	Value         string            `json:"value,omitempty"`
	Metadata      map[string]string `json:"metadata,omitempty"`
}

var (
	otpRe      = regexp.MustCompile(`^[0-9]{4,8}$`)
	pinRe      = regexp.MustCompile(`^[0-9]{4,6}$`)
	cvvRe      = regexp.MustCompile(`^[0-9]{3,4}$`)
	accountRe  = regexp.MustCompile(`^[0-9]{6,20}$`)
	bankCodeRe = regexp.MustCompile(`^[0-9A-Za-z]{2,11}$`)
	walletRe   = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)
	emailRe    = regexp.MustCompile(`^[^@\s]{1,64}@[^@\s]{1,190}$`)
	mobileRe   = regexp.MustCompile(`^\+?[0-9]{7,15}$`)
	nameMax    = 100
)

// Validate checks consent.create (every error names its field and never
// repeats a secret) and returns the verification amount.
func (d *ConsentCreateData) Validate() (decimal.Decimal, error) {
	if _, err := d.ParseAuth(); err != nil {
		return decimal.Zero, err
	}
	if _, err := d.ParseCustomer(); err != nil {
		return decimal.Zero, err
	}
	if _, err := ParseCurrency("data.currency", d.Currency); err != nil {
		return decimal.Zero, err
	}
	amt, err := ParseAmount("data.amount", d.Amount, d.Currency, false)
	if err != nil {
		return decimal.Zero, err
	}
	if d.Reference != "" && !referenceRe.MatchString(d.Reference) {
		return decimal.Zero, Invalid("data.reference", "must be 1-64 characters of A-Z a-z 0-9 . _ : / -")
	}
	return amt, ValidateMetadata(d.Metadata)
}

// ParseAuth reads and checks the auth. An error never repeats a secret.
func (d *ConsentCreateData) ParseAuth() (ConsentAuth, error) {
	var a ConsentAuth
	if len(d.Auth) == 0 || string(d.Auth) == "null" {
		return a, Invalid("data.auth", "is required: card, bank.account or wallet details")
	}
	if err := DecodeAt("data.auth", d.Auth, &a); err != nil {
		return a, err
	}
	return a, a.Validate("data.auth")
}

// ParseCustomer reads and checks the customer.
func (d *ConsentCreateData) ParseCustomer() (ConsentCustomer, error) {
	var c ConsentCustomer
	if len(d.Customer) == 0 || string(d.Customer) == "null" {
		return c, Invalid("data.customer", "is required, with customer_ref")
	}
	if err := DecodeAt("data.customer", d.Customer, &c); err != nil {
		return c, err
	}
	return c, c.validate("data.customer")
}

// Validate checks an auth of its type, naming fields under field.
func (a *ConsentAuth) Validate(field string) error {
	switch a.Type {
	case AuthCard:
		return a.validateCard(field)
	case AuthBankAccount:
		return a.validateBankAccount(field)
	case AuthWallet:
		return a.validateWallet(field)
	case "":
		return Invalid(field+".type", "is required: card, bank.account or wallet")
	}
	return Invalid(field+".type", "must be card, bank.account or wallet")
}

func (a *ConsentAuth) validateCard(field string) error {
	switch {
	case !validCardNumber(a.Number):
		return Invalid(field+".number", "must be a string of 12-19 digits (no spaces) that passes the Luhn check")
	case !cvvRe.MatchString(a.CVV):
		return Invalid(field+".cvv", "must be 3 or 4 digits")
	case a.ExpiryMonth < 1 || a.ExpiryMonth > 12:
		return Invalid(field+".expiry_month", "must be 1-12")
	case a.ExpiryYear < 2000 || a.ExpiryYear > 2099:
		return Invalid(field+".expiry_year", "must be a four-digit year")
	case a.PIN != "" && !pinRe.MatchString(a.PIN):
		return Invalid(field+".pin", "must be 4-6 digits")
	}
	return a.none(field, "account_number", a.AccountNumber, "bank_code", a.BankCode, "wallet_id", a.WalletID)
}

func (a *ConsentAuth) validateBankAccount(field string) error {
	switch {
	case !accountRe.MatchString(a.AccountNumber):
		return Invalid(field+".account_number", "must be 6-20 digits")
	case !bankCodeRe.MatchString(a.BankCode):
		return Invalid(field+".bank_code", "must be 2-11 letters or digits")
	}
	return a.none(field, "number", a.Number, "cvv", a.CVV, "pin", a.PIN, "wallet_id", a.WalletID)
}

func (a *ConsentAuth) validateWallet(field string) error {
	if !walletRe.MatchString(a.WalletID) {
		return Invalid(field+".wallet_id", "must be 1-64 characters of A-Z a-z 0-9 . _ : -")
	}
	return a.none(field, "number", a.Number, "cvv", a.CVV, "pin", a.PIN, "account_number", a.AccountNumber, "bank_code", a.BankCode)
}

// none refuses fields of another auth type (name, value pairs), and a
// card's expiry on anything but a card.
func (a *ConsentAuth) none(field string, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			return Invalid(field+"."+pairs[i], "is not a field of a %s auth", a.Type)
		}
	}
	if a.Type != AuthCard && (a.ExpiryMonth != 0 || a.ExpiryYear != 0) {
		return Invalid(field+".expiry_month", "is not a field of a %s auth", a.Type)
	}
	return nil
}

// Masked is what may be shown of an auth: its type, a card's BIN, last 4
// and expiry, an account's last 4.
func (a *ConsentAuth) Masked() PaymentMethod {
	pm := PaymentMethod{Type: a.Type}
	switch a.Type {
	case AuthCard:
		if len(a.Number) >= 12 {
			pm.BIN, pm.Last4 = a.Number[:6], a.Number[len(a.Number)-4:]
		}
		pm.ExpiryMonth, pm.ExpiryYear = a.ExpiryMonth, a.ExpiryYear
	case AuthBankAccount:
		if len(a.AccountNumber) >= 4 {
			pm.Last4 = a.AccountNumber[len(a.AccountNumber)-4:]
		}
	}
	return pm
}

func (c *ConsentCustomer) validate(field string) error {
	switch {
	case c.CustomerRef == "":
		return Invalid(field+".customer_ref", "is required")
	case !referenceRe.MatchString(c.CustomerRef):
		return Invalid(field+".customer_ref", "must be 1-64 characters of A-Z a-z 0-9 . _ : / -")
	case len(c.Firstname) > nameMax:
		return Invalid(field+".firstname", "longer than %d characters", nameMax)
	case len(c.Surname) > nameMax:
		return Invalid(field+".surname", "longer than %d characters", nameMax)
	case c.Email != "" && !emailRe.MatchString(c.Email):
		return Invalid(field+".email", "must be an email address")
	case c.MobileNo != "" && !mobileRe.MatchString(c.MobileNo):
		return Invalid(field+".mobile_no", "must be 7-15 digits, with an optional leading +")
	}
	return nil
}

// Validate checks consent.validate: exactly one of otp (4-8 digits) and
// value (1-64 characters). No error repeats either.
func (d *ConsentValidateData) Validate() error {
	switch {
	case d.TransactionID == "":
		return Invalid("data.transaction_id", "is required")
	case !isUUID(d.TransactionID):
		return Invalid("data.transaction_id", "must be a UUID")
	case d.OTP == "" && d.Value == "":
		return Invalid("data.otp", "otp (or value) is required")
	case d.OTP != "" && d.Value != "":
		return Invalid("data.value", "give otp or value, not both")
	case d.OTP != "" && !otpRe.MatchString(d.OTP):
		return Invalid("data.otp", "must be 4-8 digits")
	case len(d.Value) > 64:
		return Invalid("data.value", "longer than 64 characters")
	}
	return ValidateMetadata(d.Metadata)
}

// Answer is the OTP or value consent.validate gives.
func (d *ConsentValidateData) Answer() string {
	if d.OTP != "" {
		return d.OTP
	}
	return d.Value
}
