package paycodesim

import (
	"net/mail"
	"net/url"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// The seed's limits.
const (
	MinShortDescription = 5
	MaxShortDescription = 45
	MaxSMSNotify        = 3
	MaxEmailNotify      = 5
	RRN2Length          = 12
)

var (
	msisdnRe    = regexp.MustCompile(`^\+?[1-9][0-9]{9,14}$`)
	rrn2Re      = regexp.MustCompile(`^[0-9]{12}$`)
	maxAmount   = decimal.New(1, 12)
	validCodeRe = regexp.MustCompile(`^[0-9]{10}$`)
)

// checkAmount: not negative, at most two decimals, below 10^12.
func checkAmount(field string, d decimal.Decimal) *apiError {
	if e := d.Exponent(); e < -18 || e > 18 {
		return invalid(field, "out of range")
	}
	switch {
	case d.IsNegative():
		return invalid(field, "must not be negative")
	case !d.Equal(d.Round(2)):
		return invalid(field, "at most two decimals")
	case d.GreaterThanOrEqual(maxAmount):
		return invalid(field, "too large")
	}
	return nil
}

// resolveExpiry: nil = now + 30 minutes, 0 = never, else a future epoch-ms.
func resolveExpiry(p *int64, now time.Time) (int64, *apiError) {
	switch {
	case p == nil:
		return now.Add(DefaultExpiry).UnixMilli(), nil
	case *p == 0:
		return 0, nil
	case *p < 0:
		return 0, invalid("expiryDate", "must not be negative")
	case *p <= now.UnixMilli():
		return 0, invalid("expiryDate", "must be in the future")
	}
	return *p, nil
}

func checkDescription(s string) *apiError {
	if n := utf8.RuneCountInString(s); n < MinShortDescription || n > MaxShortDescription {
		return invalid("shortDescription", "length must be 5 to 45 characters")
	}
	return nil
}

func checkNotify(sms, email []string) *apiError {
	if len(sms) > MaxSMSNotify {
		return invalid("smsNotify", "at most 3 msisdns")
	}
	for _, n := range sms {
		if !msisdnRe.MatchString(n) {
			return invalid("smsNotify", "msisdns must be in international format")
		}
	}
	if len(email) > MaxEmailNotify {
		return invalid("emailNotify", "at most 5 email addresses")
	}
	for _, e := range email {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			return invalid("emailNotify", "not an email address")
		}
	}
	return nil
}

func checkRRN2(s string) *apiError {
	if s != "" && !rrn2Re.MatchString(s) {
		return invalid("rrn2", "must be 12 digits, left-filled with zeros")
	}
	return nil
}

func checkProductURL(s string) *apiError {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid("productURL", "must be a full URL starting with http or https")
	}
	return nil
}

// basketRules are the limitBasket conditions that depend on the rest of the
// request. wantUseOnce is the endpoint's own (contradictory) rule: create
// forbids useOnce=true, update requires it.
type basketRules struct {
	amount         decimal.Decimal
	useOnce        bool
	wantUseOnce    bool
	partial        bool
	limitsDisabled bool
}

func checkBasket(items basketField, r basketRules) ([]BasketItem, *apiError) {
	if len(items) == 0 {
		return nil, nil
	}
	switch {
	case r.limitsDisabled:
		return nil, invalid("limitBasket", "merchant account is not enabled for limit checks")
	case r.amount.IsZero():
		return nil, invalid("limitBasket", "cannot be used with a variable amount")
	case r.partial:
		return nil, invalid("limitBasket", "cannot be used with partial payments")
	case r.wantUseOnce && !r.useOnce:
		return nil, invalid("limitBasket", "can only be used if useOnce is true")
	case !r.wantUseOnce && r.useOnce:
		return nil, invalid("limitBasket", "cannot be used if useOnce is true")
	}
	out := make([]BasketItem, 0, len(items))
	for _, it := range items {
		b, e := checkBasketItem(it)
		if e != nil {
			return nil, e
		}
		out = append(out, b)
	}
	return out, nil
}

func checkBasketItem(it basketIn) (BasketItem, *apiError) {
	if it.ItemType != ItemAirtime && it.ItemType != ItemAirtimeBundle {
		return BasketItem{}, invalid("limitBasket", "itemType must be AIRTIME or AIRTIME_BUNDLE")
	}
	if !msisdnRe.MatchString(string(it.Destination)) {
		return BasketItem{}, invalid("limitBasket", "destination must be an msisdn in international format")
	}
	if !it.Amount.Valid || !it.Amount.Decimal.IsPositive() {
		return BasketItem{}, invalid("limitBasket", "amount must be positive")
	}
	if e := checkAmount("limitBasket", it.Amount.Decimal); e != nil {
		return BasketItem{}, e
	}
	return BasketItem{Destination: string(it.Destination), ItemType: it.ItemType, Amount: it.Amount.Decimal}, nil
}

// validateCreate turns a parsed create request into a new code (without
// its number), or a 440.
func validateCreate(in createIn, m Merchant, now time.Time) (*codeState, *apiError) {
	amt := in.Amount.Decimal
	useOnce := in.UseOnce == nil || *in.UseOnce
	if e := firstError(checkAmount("amount", amt), checkDescription(*in.ShortDescription),
		checkNotify(in.SMSNotify, in.EmailNotify), checkRRN2(in.RRN2)); e != nil {
		return nil, e
	}
	if in.RequestTip && !in.RequestPartialPayment {
		return nil, invalid("requestTip", "requires requestPartialPayment")
	}
	exp, e := resolveExpiry(in.ExpiryDate, now)
	if e != nil {
		return nil, e
	}
	basket, e := checkBasket(in.LimitBasket, basketRules{amount: amt, useOnce: useOnce, wantUseOnce: false,
		partial: in.RequestPartialPayment, limitsDisabled: m.LimitsDisabled})
	if e != nil {
		return nil, e
	}
	return &codeState{
		Merchant: m.Username, Amount: amt, MerchantReference: string(*in.MerchantReference),
		ShortDescription: *in.ShortDescription, ExpiryDate: exp, UseOnce: useOnce,
		RequestPartialPayment: in.RequestPartialPayment, RequestTip: in.RequestTip, LimitBasket: basket,
		SubMerchantName: in.SubMerchantName, TerminalID: in.TerminalID,
		SMSNotify: in.SMSNotify, EmailNotify: in.EmailNotify, RRN2: in.RRN2,
	}, nil
}

// applyUpdate checks an update against code c and applies it.
func applyUpdate(in updateIn, c *codeState, m Merchant, now time.Time) *apiError {
	amt := decimal.Zero
	if in.Amount.Valid {
		amt = in.Amount.Decimal
	}
	useOnce := in.UseOnce == nil || *in.UseOnce
	if e := firstError(checkAmount("amount", amt), checkDescription(*in.ShortDescription),
		checkProductURL(in.ProductURL)); e != nil {
		return e
	}
	exp, e := resolveExpiry(in.ExpiryDate, now)
	if e != nil {
		return e
	}
	basket, e := checkBasket(in.LimitBasket, basketRules{amount: amt, useOnce: useOnce, wantUseOnce: true,
		partial: c.RequestPartialPayment, limitsDisabled: m.LimitsDisabled})
	if e != nil {
		return e
	}
	c.Amount, c.MerchantReference, c.ExpiryDate, c.UseOnce = amt, string(*in.MerchantReference), exp, useOnce
	c.ShortDescription, c.ProductURL, c.LimitBasket = *in.ShortDescription, in.ProductURL, basket
	return nil
}

// applyAmount checks a new amount against code c and applies it.
func applyAmount(in amountIn, c *codeState, now time.Time) *apiError {
	if e := checkAmount("amount", in.Amount.Decimal); e != nil {
		return e
	}
	if len(c.LimitBasket) > 0 && in.Amount.Decimal.IsZero() {
		return invalid("amount", "a code with a limitBasket cannot have a variable amount")
	}
	exp, e := resolveExpiry(in.ExpiryDate, now)
	if e != nil {
		return e
	}
	c.Amount, c.ExpiryDate = in.Amount.Decimal, exp
	return nil
}

func firstError(errs ...*apiError) *apiError {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
