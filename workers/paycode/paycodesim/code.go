package paycodesim

import (
	"time"

	"github.com/shopspring/decimal"
)

// Code statuses reported by the simulator (an extension of the seed).
const (
	CodeActive  = "ACTIVE"
	CodeBlocked = "BLOCKED"
	CodeUsed    = "USED"
	CodeExpired = "EXPIRED"
)

// codeState is one code held by the simulator.
type codeState struct {
	Code                  string
	Merchant              string // owner's username
	Amount                decimal.Decimal
	MerchantReference     string
	ShortDescription      string
	ProductURL            string
	ExpiryDate            int64 // epoch ms, 0 = never
	UseOnce               bool
	RequestPartialPayment bool
	RequestTip            bool
	LimitBasket           []BasketItem
	SubMerchantName       string
	TerminalID            string
	SMSNotify             []string
	EmailNotify           []string
	RRN2                  string
	Blocked               bool
	Payments              int
}

// status is the code's state at now: used beats expired beats blocked.
func (c *codeState) status(now time.Time) string {
	switch {
	case c.UseOnce && c.Payments > 0:
		return CodeUsed
	case c.ExpiryDate != 0 && now.UnixMilli() >= c.ExpiryDate:
		return CodeExpired
	case c.Blocked:
		return CodeBlocked
	}
	return CodeActive
}

// usable reports whether the code may still be changed or paid.
func (c *codeState) usable(now time.Time) bool {
	st := c.status(now)
	return st == CodeActive || st == CodeBlocked
}

// detailsOut is the seed's code-details answer plus "code" and "status".
type detailsOut struct {
	Code              string  `json:"code"`
	AmountString      *string `json:"amountString"`
	Currency          string  `json:"currency"`
	MerchantReference string  `json:"merchantReference"`
	ExpiryDate        int64   `json:"expiryDate"`
	UseOnce           bool    `json:"useOnce"`
	MerchantName      string  `json:"merchantName"`
	ShortDescription  string  `json:"shortDescription"`
	ProductURL        *string `json:"productURL"`
	Extra             *string `json:"extra"`
	Status            string  `json:"status"`
}

func (c *codeState) details(m Merchant, now time.Time) detailsOut {
	d := detailsOut{
		Code: c.Code, Currency: m.Currency, MerchantReference: c.MerchantReference,
		ExpiryDate: c.ExpiryDate, UseOnce: c.UseOnce, MerchantName: m.Name,
		ShortDescription: c.ShortDescription, Status: c.status(now),
	}
	if !c.Amount.IsZero() {
		s := formatAmount(m.Currency, c.Amount)
		d.AmountString = &s
	}
	if c.ProductURL != "" {
		d.ProductURL = &c.ProductURL
	}
	return d
}

// formatAmount is the seed's amountString: "R 10.50" for rand, else
// "<currency> 10.50".
func formatAmount(currency string, d decimal.Decimal) string {
	sym := currency
	if currency == "ZAR" {
		sym = "R"
	}
	return sym + " " + d.StringFixed(2)
}
