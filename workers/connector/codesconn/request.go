package codesconn

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/code"
	"github.com/switchyard/switchyard/workers/paycode"
)

// createRequest is the POST /code/create body for s. The expiry is always
// sent: the one the lifecycle resolved (so that an orphan left by an
// unanswered create dies when the lifecycle believes it would), or 0 for a
// code that never expires.
func createRequest(s code.Spec) (paycode.CreateRequest, error) {
	basket, err := basketOf(s.LimitBasket)
	if err != nil {
		return paycode.CreateRequest{}, err
	}
	return paycode.CreateRequest{
		Amount: s.Amount, MerchantReference: s.Reference, ExpiryDate: expiryOf(s.Expires),
		UseOnce: paycode.Bool(s.UseOnce), LimitBasket: basket, ShortDescription: s.ShortDescription,
		RequestPartialPayment: s.RequestPartialPayment, RequestTip: s.RequestTip,
		SubMerchantName: s.SubMerchantName, TerminalID: s.TerminalID,
		SMSNotify: s.SMSNotify, EmailNotify: s.EmailNotify, RRN2: s.RRN2,
	}, nil
}

// updateRequest is the PUT /code/{code} body for s: the provider replaces
// the code's terms with all of it.
func updateRequest(s code.Spec) (paycode.UpdateRequest, error) {
	basket, err := basketOf(s.LimitBasket)
	if err != nil {
		return paycode.UpdateRequest{}, err
	}
	return paycode.UpdateRequest{
		Amount: s.Amount, MerchantReference: s.Reference, ExpiryDate: expiryOf(s.Expires),
		UseOnce: paycode.Bool(s.UseOnce), ShortDescription: s.ShortDescription, ProductURL: s.ProductURL,
		LimitBasket: basket,
	}, nil
}

// expiryOf is the provider's expiryDate for an expiry (nil: never, 0).
func expiryOf(t *time.Time) *int64 {
	if t == nil {
		return paycode.NeverExpires()
	}
	return paycode.ExpiresAt(*t)
}

func basketOf(items []events.CodeBasketItem) ([]paycode.BasketItem, error) {
	var out []paycode.BasketItem
	for i, it := range items {
		amt, err := decimal.NewFromString(it.Amount)
		if err != nil {
			return nil, fmt.Errorf("limit_basket[%d].amount %q: %w", i, it.Amount, err)
		}
		out = append(out, paycode.BasketItem{Destination: it.Destination, ItemType: it.ItemType, Amount: amt})
	}
	return out, nil
}

// expiryData is a result's Data naming an expiry: {"expires_at": RFC 3339}
// or {"expires_at": null} for never; code is added when not empty.
func expiryData(codeNumber string, exp time.Time, expires bool) json.RawMessage {
	d := struct {
		Code      string     `json:"code,omitempty"`
		ExpiresAt *time.Time `json:"expires_at"`
	}{Code: codeNumber}
	if expires {
		e := exp.UTC()
		d.ExpiresAt = &e
	}
	b, _ := json.Marshal(d)
	return b
}
