package code

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
)

// Start is a new code asked by d (validated; amount its parsed amount) at
// now: pending, its create call due. The expiry is resolved here (default
// now + DefaultExpiry) and kept, so that the create sends it and its timer
// is set at it; an expiry not in the future is refused on data.expires_at.
func Start(d *events.CodeCreateData, amount decimal.Decimal, now time.Time) (State, []effect.Effect, error) {
	def := now.Add(DefaultExpiry).UTC().Truncate(time.Millisecond)
	expires, err := events.ParseExpiry(d.ExpiresAt, now, &def)
	if err != nil {
		return State{}, nil, err
	}
	spec := Spec{Amount: amount, Currency: d.Currency, Reference: d.Reference, ShortDescription: d.ShortDescription,
		Expires: expires, UseOnce: d.UseOnce == nil || *d.UseOnce, LimitBasket: d.LimitBasket,
		RequestPartialPayment: d.RequestPartialPayment, RequestTip: d.RequestTip,
		SubMerchantName: d.SubMerchantName, TerminalID: d.TerminalID,
		SMSNotify: d.SMSNotify, EmailNotify: d.EmailNotify, RRN2: d.RRN2}
	s := State{Status: events.StatusPending, Spec: spec, Op: OpCreate}
	return s, []effect.Effect{effect.Call{Op: OpCreate}}, nil
}
