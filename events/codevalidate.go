package events

import (
	"net/mail"
	"net/url"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// The provider's limits on a code (shared seed 002).
const (
	MinShortDescription = 5
	MaxShortDescription = 45
	MaxSMSNotify        = 3
	MaxEmailNotify      = 5
	// MaxCodeText bounds sub_merchant_name and terminal_id (the seed gives
	// no length; this keeps them to what a statement line can show).
	MaxCodeText = 64
	// Basket item types.
	ItemAirtime       = "AIRTIME"
	ItemAirtimeBundle = "AIRTIME_BUNDLE"
)

var (
	intlMSISDNRe = regexp.MustCompile(`^\+?[1-9][0-9]{9,14}$`)
	rrn2Re       = regexp.MustCompile(`^[0-9]{12}$`)
)

// Validate checks code.create as the seed says, before any provider call,
// and returns the amount (zero: variable). expires_at's format is checked
// here; that it lies in the future, by the lifecycle (ParseExpiry) against
// its clock.
func (d *CodeCreateData) Validate() (decimal.Decimal, error) {
	if d.Provider != "" && d.Provider != ProviderCodes {
		return decimal.Zero, Invalid("data.provider", "must be %q", ProviderCodes)
	}
	if _, err := ParseCurrency("data.currency", d.Currency); err != nil {
		return decimal.Zero, err
	}
	amt, err := ParseAmount("data.amount", d.Amount, d.Currency, true)
	if err != nil {
		return decimal.Zero, err
	}
	if err := firstErr(validateReference(d.Reference), validateShortDescription(d.ShortDescription),
		validateExpiresFormat(d.ExpiresAt), validateNotify(d.SMSNotify, d.EmailNotify), validateRRN2(d.RRN2),
		validateText("data.sub_merchant_name", d.SubMerchantName), validateText("data.terminal_id", d.TerminalID)); err != nil {
		return decimal.Zero, err
	}
	if d.RequestTip && !d.RequestPartialPayment {
		return decimal.Zero, Invalid("data.request_tip", "needs request_partial_payment")
	}
	if err := d.validateBasket(amt); err != nil {
		return decimal.Zero, err
	}
	return amt, ValidateMetadata(d.Metadata)
}

// validateBasket: the seed's create rules; a limit basket cannot be used
// with a variable amount, with partial payments, or on a use-once code
// (use_once, default true, must be false).
func (d *CodeCreateData) validateBasket(amt decimal.Decimal) error {
	if len(d.LimitBasket) == 0 {
		return nil
	}
	switch {
	case amt.IsZero():
		return Invalid("data.limit_basket", "cannot be used with a variable amount")
	case d.RequestPartialPayment:
		return Invalid("data.limit_basket", "cannot be used with request_partial_payment")
	case d.UseOnce == nil || *d.UseOnce:
		return Invalid("data.limit_basket", "cannot be used on a use-once code: set use_once to false")
	}
	return ValidateBasket(d.LimitBasket, d.Currency)
}

// ValidateBasket checks a limit basket's items as the seed limits them:
// item_type AIRTIME or AIRTIME_BUNDLE, destination an msisdn in
// international format, a positive amount in the currency.
func ValidateBasket(items []CodeBasketItem, currency string) error {
	for _, it := range items {
		switch {
		case it.ItemType != ItemAirtime && it.ItemType != ItemAirtimeBundle:
			return Invalid("data.limit_basket", "item_type must be %s or %s", ItemAirtime, ItemAirtimeBundle)
		case !intlMSISDNRe.MatchString(it.Destination):
			return Invalid("data.limit_basket", "destination must be an msisdn in international format, such as 27832006283")
		}
		if _, err := ParseAmount("data.limit_basket", it.Amount, currency, false); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks code.update's shape; its effect on the code (a basket
// needs use_once, …) is checked by the lifecycle against the code.
func (d *CodeUpdateData) Validate() error {
	if err := validateTransactionID(d.TransactionID); err != nil {
		return err
	}
	if d.ShortDescription == nil && d.ExpiresAt == nil && d.UseOnce == nil && d.ProductURL == nil && d.LimitBasket == nil && len(d.Metadata) == 0 {
		return Invalid("data", "names nothing to update")
	}
	if d.ShortDescription != nil {
		if err := validateShortDescription(*d.ShortDescription); err != nil {
			return err
		}
	}
	if d.ExpiresAt != nil {
		if *d.ExpiresAt == "" {
			return Invalid("data.expires_at", "must be an RFC 3339 time or %q", ExpiresNever)
		}
		if err := validateExpiresFormat(*d.ExpiresAt); err != nil {
			return err
		}
	}
	if d.ProductURL != nil && *d.ProductURL != "" {
		if u, err := url.Parse(*d.ProductURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(*d.ProductURL) > 2048 {
			return Invalid("data.product_url", "must be a full http or https URL")
		}
	}
	return ValidateMetadata(d.Metadata)
}

// Validate checks code.set_amount's shape; the amount is parsed against the
// code's currency by the lifecycle.
func (d *CodeAmountData) Validate() error {
	if err := validateTransactionID(d.TransactionID); err != nil {
		return err
	}
	if a, err := decimal.NewFromString(d.Amount); err != nil || a.IsNegative() {
		return Invalid("data.amount", "must be a decimal string such as \"10.50\", or \"0\" for a variable amount")
	}
	return validateExpiresFormat(d.ExpiresAt)
}

// Validate checks code.block's, code.unblock's and code.delete's data.
func (d *CodeActionData) Validate() error { return validateTransactionID(d.TransactionID) }

// ParseExpiry reads expires_at at now: "" is def, "never" is nil, else an
// RFC 3339 time that must lie in the future.
func ParseExpiry(s string, now time.Time, def *time.Time) (*time.Time, error) {
	switch s {
	case "":
		return def, nil
	case ExpiresNever:
		return nil, nil
	}
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, Invalid("data.expires_at", "must be an RFC 3339 time or %q", ExpiresNever)
	}
	if !at.After(now) {
		return nil, Invalid("data.expires_at", "must be in the future")
	}
	at = at.UTC().Truncate(time.Millisecond) // the provider keeps epoch milliseconds
	return &at, nil
}

func validateExpiresFormat(s string) error {
	_, err := ParseExpiry(s, time.Time{}, nil)
	return err
}

func validateReference(ref string) error {
	switch {
	case ref == "":
		return Invalid("data.reference", "is required")
	case !referenceRe.MatchString(ref):
		return Invalid("data.reference", "must be 1-64 characters of A-Z a-z 0-9 . _ : / -")
	}
	return nil
}

func validateShortDescription(s string) error {
	if n := utf8.RuneCountInString(s); n < MinShortDescription || n > MaxShortDescription {
		return Invalid("data.short_description", "must be %d to %d characters", MinShortDescription, MaxShortDescription)
	}
	return nil
}

func validateNotify(sms, email []string) error {
	if len(sms) > MaxSMSNotify {
		return Invalid("data.sms_notify", "at most %d numbers", MaxSMSNotify)
	}
	for _, n := range sms {
		if !intlMSISDNRe.MatchString(n) {
			return Invalid("data.sms_notify", "numbers must be msisdns in international format, such as 27832006283")
		}
	}
	if len(email) > MaxEmailNotify {
		return Invalid("data.email_notify", "at most %d addresses", MaxEmailNotify)
	}
	for _, e := range email {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			return Invalid("data.email_notify", "not an email address")
		}
	}
	return nil
}

func validateRRN2(s string) error {
	if s != "" && !rrn2Re.MatchString(s) {
		return Invalid("data.rrn2", "must be exactly 12 digits (left-filled with zeros)")
	}
	return nil
}

func validateText(field, s string) error {
	if utf8.RuneCountInString(s) > MaxCodeText {
		return Invalid(field, "at most %d characters", MaxCodeText)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Validate checks payment.record (made from a provider callback): the
// code, the provider's payment id, the amount paid (and tip) in the
// currency, and when it was paid. The merchant reference may be empty (a
// payment for no known code is still recorded).
func (d *CodePaymentData) Validate() error {
	switch {
	case d.Code == "":
		return Invalid("data.code", "is required")
	case d.ProviderPaymentID == "":
		return Invalid("data.provider_payment_id", "is required")
	case d.PaidAt.IsZero():
		return Invalid("data.paid_at", "is required")
	case len(d.Code) > 64 || len(d.ProviderPaymentID) > 128 || len(d.MerchantReference) > 64 || len(d.PayerReference) > 64 || len(d.CodeStatus) > 32:
		return Invalid("data", "a field is longer than the provider's")
	}
	if _, err := ParseCurrency("data.currency", d.Currency); err != nil {
		return err
	}
	if _, err := ParseAmount("data.amount", d.Amount, d.Currency, false); err != nil {
		return err
	}
	if d.Tip != "" {
		if _, err := ParseAmount("data.tip", d.Tip, d.Currency, true); err != nil {
			return err
		}
	}
	return nil
}
