package code

import (
	"time"

	"github.com/switchyard/switchyard/events"
)

// touchesProvider reports whether code.update changes anything the
// provider keeps (otherwise it only merges metadata).
func touchesProvider(d events.CodeUpdateData) bool {
	return d.ShortDescription != nil || d.ExpiresAt != nil || d.UseOnce != nil || d.ProductURL != nil || d.LimitBasket != nil
}

// applyUpdate is spec after code.update d at now, checked as the seed's
// update says: a limit basket only on a use-once code with a fixed amount
// and no partial payments.
func applyUpdate(spec Spec, d events.CodeUpdateData, now time.Time) (Spec, error) {
	next := spec
	if d.ShortDescription != nil {
		next.ShortDescription = *d.ShortDescription
	}
	if d.UseOnce != nil {
		next.UseOnce = *d.UseOnce
	}
	if d.ProductURL != nil {
		next.ProductURL = *d.ProductURL
	}
	if d.LimitBasket != nil {
		next.LimitBasket = *d.LimitBasket
	}
	if d.ExpiresAt != nil {
		exp, err := events.ParseExpiry(*d.ExpiresAt, now, spec.Expires)
		if err != nil {
			return spec, err
		}
		next.Expires = exp
	}
	if len(next.LimitBasket) == 0 || d.LimitBasket == nil && d.UseOnce == nil {
		return next, nil
	}
	switch {
	case !next.UseOnce:
		return spec, events.Invalid("data.limit_basket", "an update's limit basket needs a use-once code (use_once true)")
	case next.Amount.IsZero():
		return spec, events.Invalid("data.limit_basket", "cannot be used with a variable amount")
	case next.RequestPartialPayment:
		return spec, events.Invalid("data.limit_basket", "cannot be used on a code that takes partial payments")
	}
	return next, events.ValidateBasket(next.LimitBasket, next.Currency)
}

// applyAmount is spec after code.set_amount a at now: the amount in the
// code's currency ("0": variable, not on a code with a limit basket), and
// the expiry when a names one.
func applyAmount(spec Spec, a SetAmount, now time.Time) (Spec, error) {
	amt, err := events.ParseAmount("data.amount", a.Amount, spec.Currency, true)
	if err != nil {
		return spec, err
	}
	if amt.IsZero() && len(spec.LimitBasket) > 0 {
		return spec, events.Invalid("data.amount", "a code with a limit basket cannot have a variable amount")
	}
	exp, err := events.ParseExpiry(a.ExpiresAt, now, spec.Expires)
	if err != nil {
		return spec, err
	}
	next := spec
	next.Amount, next.Expires = amt, exp
	return next, nil
}
