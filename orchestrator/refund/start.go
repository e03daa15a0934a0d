package refund

import (
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Start decides a new refund of amount (all that is refundable when
// !given) of charge c, made through a provider declaring prov. It reserves
// the amount on the charge and chooses, from the charge's status and the
// declaration, how the money goes back:
//
//   - succeeded (a sale, batch open): void when the refund is the charge's
//     whole amount and nothing else was refunded or reserved, and the
//     provider can void; otherwise deferred until the batch settles;
//   - settled, partially refunded (or confirmed, where the provider can
//     refund it): refund;
//   - authorized (not yet confirmed): released in full (a void, carried out
//     as the provider's release); never in part;
//   - anything else: refused.
//
// A refusal is a *lifecycle.Rejection and returns c unchanged.
func Start(c Charge, prov lifecycle.Provider, amount decimal.Decimal, given bool) (Family, []effect.Effect, error) {
	f := Family{Charge: c}
	if err := refundableStatus(c, prov); err != nil {
		return f, nil, err
	}
	if !given {
		amount = c.Refundable()
	}
	if err := withinRefundable(c, amount); err != nil {
		return f, nil, err
	}
	full := isFull(c, amount)
	s, effs, err := firstStep(c, prov, full)
	if err != nil {
		return f, nil, err
	}
	f.Refund, f.Amount = s, amount
	f.Charge.Reserved = c.Reserved.Add(amount)
	return f, effs, nil
}

// refundableStatus refuses a charge whose status allows no refund through
// prov.
func refundableStatus(c Charge, prov lifecycle.Provider) error {
	switch c.Status {
	case events.StatusSucceeded:
		if !prov.Void && !prov.Refund {
			return unsupported("%s can neither void nor refund a charge", prov.Name)
		}
	case events.StatusSettled, events.StatusPartiallyRefunded:
		if !prov.Refund {
			return unsupported("%s cannot refund a settled charge", prov.Name)
		}
	case events.StatusAuthorized:
		if !prov.ReleaseAuthorized {
			return unsupported("%s cannot release an authorized charge", prov.Name)
		}
	case events.StatusConfirmed:
		if !prov.Refund {
			return unsupported("%s has no refund of a confirmed card-present charge: the money can no longer be "+
				"released through the provider, and the customer must be refunded another way", prov.Name)
		}
	default:
		return lifecycle.Reject(events.ReasonInvalidState, "data.transaction_id",
			"the charge is %s: only a charge that has succeeded can be refunded", c.Status)
	}
	return nil
}

// withinRefundable refuses an amount that is not positive or is more than
// what is left to refund.
func withinRefundable(c Charge, amount decimal.Decimal) error {
	left := c.Refundable()
	switch {
	case !left.IsPositive():
		return lifecycle.Reject(events.ReasonAmountExceedsRefund, "data.amount",
			"nothing is left to refund of this charge of %s: %s refunded, %s held by refunds in progress",
			money(c.Amount, c), money(c.Refunded, c), money(c.Reserved, c))
	case !amount.IsPositive() || amount.GreaterThan(left):
		return lifecycle.Reject(events.ReasonAmountExceedsRefund, "data.amount",
			"the amount must be more than zero and at most %s, what is left to refund of this charge of %s (%s refunded, %s held by refunds in progress)",
			money(left, c), money(c.Amount, c), money(c.Refunded, c), money(c.Reserved, c))
	}
	return nil
}

// isFull: the refund gives back the whole charge, with nothing refunded or
// reserved before it.
func isFull(c Charge, amount decimal.Decimal) bool {
	return amount.Equal(c.Amount) && c.Refunded.IsZero() && c.Reserved.IsZero()
}

// firstStep is the refund's first state, by the charge's status.
func firstStep(c Charge, prov lifecycle.Provider, full bool) (State, []effect.Effect, error) {
	switch c.Status {
	case events.StatusSucceeded:
		if full && prov.Void {
			return voiding(State{})
		}
		return deferred(State{})
	case events.StatusAuthorized:
		if !full {
			return State{}, nil, unsupported("%s can only release an unconfirmed charge in full", prov.Name)
		}
		return voiding(State{})
	}
	return refunding(State{})
}

func unsupported(format string, args ...any) error {
	return lifecycle.Reject(events.ReasonUnsupportedByProvider, "data.transaction_id", format, args...)
}

func money(d decimal.Decimal, c Charge) string {
	return events.FormatAmount(d, c.Currency) + " " + c.Currency
}
