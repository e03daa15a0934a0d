package paycode

import (
	"encoding/json"
	"strings"

	"github.com/shopspring/decimal"
)

// The wire forms: amounts as bare JSON numbers, notification lists as
// comma-separated strings, optional fields left out.

type basketWire struct {
	Destination string      `json:"destination"`
	ItemType    string      `json:"itemType"`
	Amount      json.Number `json:"amount"`
}

func basketToWire(items []BasketItem) []basketWire {
	out := make([]basketWire, 0, len(items))
	for _, it := range items {
		out = append(out, basketWire{Destination: it.Destination, ItemType: it.ItemType, Amount: number(it.Amount)})
	}
	return out
}

type createWire struct {
	Amount                json.Number  `json:"amount"`
	MerchantReference     string       `json:"merchantReference"`
	ExpiryDate            *int64       `json:"expiryDate,omitempty"`
	UseOnce               *bool        `json:"useOnce,omitempty"`
	LimitBasket           []basketWire `json:"limitBasket,omitempty"`
	ShortDescription      string       `json:"shortDescription"`
	RequestPartialPayment bool         `json:"requestPartialPayment,omitempty"`
	RequestTip            bool         `json:"requestTip,omitempty"`
	SubMerchantName       string       `json:"subMerchantName,omitempty"`
	TerminalID            string       `json:"terminalId,omitempty"`
	SMSNotify             string       `json:"smsNotify,omitempty"`
	EmailNotify           string       `json:"emailNotify,omitempty"`
	RRN2                  string       `json:"rrn2,omitempty"`
}

// MarshalJSON writes the seed's wire form.
func (r CreateRequest) MarshalJSON() ([]byte, error) {
	w := createWire{
		Amount: number(r.Amount), MerchantReference: r.MerchantReference, ExpiryDate: r.ExpiryDate,
		UseOnce: r.UseOnce, ShortDescription: r.ShortDescription,
		RequestPartialPayment: r.RequestPartialPayment, RequestTip: r.RequestTip,
		SubMerchantName: r.SubMerchantName, TerminalID: r.TerminalID,
		SMSNotify: strings.Join(r.SMSNotify, ","), EmailNotify: strings.Join(r.EmailNotify, ","), RRN2: r.RRN2,
	}
	if len(r.LimitBasket) > 0 {
		w.LimitBasket = basketToWire(r.LimitBasket)
	}
	return json.Marshal(w)
}

type updateWire struct {
	Amount            *json.Number `json:"amount,omitempty"`
	MerchantReference string       `json:"merchantReference"`
	ExpiryDate        *int64       `json:"expiryDate,omitempty"`
	UseOnce           *bool        `json:"useOnce,omitempty"`
	ShortDescription  string       `json:"shortDescription"`
	ProductURL        string       `json:"productURL,omitempty"`
	LimitBasket       []basketWire `json:"limitBasket,omitempty"`
}

// MarshalJSON writes the seed's wire form; a zero amount is left out (the
// seed: "if it is left blank the code will have a variable amount").
func (r UpdateRequest) MarshalJSON() ([]byte, error) {
	w := updateWire{
		MerchantReference: r.MerchantReference, ExpiryDate: r.ExpiryDate, UseOnce: r.UseOnce,
		ShortDescription: r.ShortDescription, ProductURL: r.ProductURL,
	}
	if !r.Amount.IsZero() {
		n := number(r.Amount)
		w.Amount = &n
	}
	if len(r.LimitBasket) > 0 {
		w.LimitBasket = basketToWire(r.LimitBasket)
	}
	return json.Marshal(w)
}

// MarshalJSON writes the seed's wire form.
func (r AmountRequest) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Amount     json.Number `json:"amount"`
		ExpiryDate *int64      `json:"expiryDate,omitempty"`
	}{number(r.Amount), r.ExpiryDate})
}

// flexString accepts a JSON string or number (the seed's sample shows the
// code unquoted although its type is String).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

// UnmarshalJSON reads {code, expiryDate}.
func (r *CreateResponse) UnmarshalJSON(b []byte) error {
	var w struct {
		Code       flexString `json:"code"`
		ExpiryDate int64      `json:"expiryDate"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	r.Code, r.ExpiryDate = string(w.Code), w.ExpiryDate
	return nil
}

type detailsWire struct {
	Code              flexString `json:"code"`
	AmountString      *string    `json:"amountString"`
	Currency          string     `json:"currency"`
	MerchantReference flexString `json:"merchantReference"`
	ExpiryDate        int64      `json:"expiryDate"`
	UseOnce           bool       `json:"useOnce"`
	MerchantName      string     `json:"merchantName"`
	ShortDescription  string     `json:"shortDescription"`
	ProductURL        *string    `json:"productURL"`
	Status            string     `json:"status"`
}

// UnmarshalJSON reads the seed's code details; a null or blank amountString
// is a variable amount.
func (d *CodeDetails) UnmarshalJSON(b []byte) error {
	var w detailsWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = CodeDetails{
		Code: string(w.Code), Currency: w.Currency, MerchantReference: string(w.MerchantReference),
		ExpiryDate: w.ExpiryDate, UseOnce: w.UseOnce, MerchantName: w.MerchantName,
		ShortDescription: w.ShortDescription, Status: w.Status, Amount: decimal.Zero,
	}
	if w.ProductURL != nil {
		d.ProductURL = *w.ProductURL
	}
	if w.AmountString != nil {
		d.AmountString = strings.TrimSpace(*w.AmountString)
	}
	amt, ok := parseAmountString(d.AmountString)
	d.Variable = !ok || amt.IsZero()
	if ok {
		d.Amount = amt
	}
	return nil
}
