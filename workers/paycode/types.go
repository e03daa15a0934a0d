package paycode

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Item types of a limitBasket entry.
const (
	ItemAirtime       = "AIRTIME"
	ItemAirtimeBundle = "AIRTIME_BUNDLE"
)

// BasketItem is one entry of limitBasket: a top-up whose limits the provider
// checks (destination msisdn, item type, amount).
type BasketItem struct {
	Destination string          `json:"destination"`
	ItemType    string          `json:"itemType"`
	Amount      decimal.Decimal `json:"amount"`
}

// CreateRequest is the body of POST /code/create, with the seed's field
// names. Amount zero means a variable amount.
type CreateRequest struct {
	Amount            decimal.Decimal
	MerchantReference string
	// ExpiryDate is epoch milliseconds: nil = the provider's default (30
	// minutes from issue), 0 = never (see NeverExpires, ExpiresAt).
	ExpiryDate            *int64
	UseOnce               *bool // nil = provider default (true)
	LimitBasket           []BasketItem
	ShortDescription      string
	RequestPartialPayment bool
	RequestTip            bool
	SubMerchantName       string
	TerminalID            string
	SMSNotify             []string // msisdns, international format, ≤ 3
	EmailNotify           []string // ≤ 5
	RRN2                  string   // 12 digits, left-filled with zeros
}

// CreateResponse is the answer to POST /code/create.
type CreateResponse struct {
	Code       string
	ExpiryDate int64 // epoch milliseconds, 0 = never
}

// Expires returns the expiry time, or false when the code never expires.
func (r CreateResponse) Expires() (time.Time, bool) { return epochTime(r.ExpiryDate) }

// UpdateRequest is the body of PUT /code/{code}. It replaces the code's
// amount (zero = variable), reference, expiry, use-once flag, description,
// product URL and limit basket.
type UpdateRequest struct {
	Amount            decimal.Decimal
	MerchantReference string
	ExpiryDate        *int64
	UseOnce           *bool
	ShortDescription  string
	ProductURL        string
	LimitBasket       []BasketItem
}

// AmountRequest is the body of PUT /code/{code}/amount.
type AmountRequest struct {
	Amount     decimal.Decimal
	ExpiryDate *int64 // nil = 30 minutes from now
}

// CodeDetails is what GET, PUT and DELETE /code/{code} answer.
type CodeDetails struct {
	Code              string // not in the seed; filled when the provider sends it
	AmountString      string // "R 10.50"; empty for a variable amount
	Amount            decimal.Decimal
	Variable          bool
	Currency          string
	MerchantReference string
	ExpiryDate        int64
	UseOnce           bool
	MerchantName      string
	ShortDescription  string
	ProductURL        string
	// Status is a simulator extension (ACTIVE, BLOCKED, USED, EXPIRED);
	// empty when the provider does not send it.
	Status string
}

// Expires returns the expiry time, or false when the code never expires.
func (d CodeDetails) Expires() (time.Time, bool) { return epochTime(d.ExpiryDate) }

// NeverExpires is the ExpiryDate value for a code that never expires.
func NeverExpires() *int64 { var z int64; return &z }

// ExpiresAt is the ExpiryDate value for t (epoch milliseconds).
func ExpiresAt(t time.Time) *int64 { ms := t.UnixMilli(); return &ms }

// Bool returns a pointer to b, for UseOnce.
func Bool(b bool) *bool { return &b }

func epochTime(ms int64) (time.Time, bool) {
	if ms == 0 {
		return time.Time{}, false
	}
	return time.UnixMilli(ms).UTC(), true
}

// number writes d as a bare JSON number (the seed's BigDecimal).
func number(d decimal.Decimal) json.Number { return json.Number(d.String()) }

// parseAmountString reads "R 10.50" or "ZAR 1,000.00": the last field,
// without thousands separators.
func parseAmountString(s string) (decimal.Decimal, bool) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return decimal.Zero, false
	}
	v := strings.TrimLeft(strings.ReplaceAll(f[len(f)-1], ",", ""), "R$€£")
	d, err := decimal.NewFromString(v)
	return d, err == nil
}
