package charge

import (
	"encoding/hex"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// parseMethod checks charge.create's provider and payment method against
// the provider's declaration, never its name: whether it takes charges at
// all, the payment method type, saving, and (card not present) the card or
// account in full.
func (l *Lifecycle) parseMethod(c *created) error {
	if len(l.providers) == 0 {
		return nil
	}
	d := &c.data
	prov, ok := l.providers[d.Provider]
	if !ok || !prov.Charges {
		return lifecycle.Reject(events.ReasonUnsupportedByProvider, "data.provider",
			"charges with %q are not available", d.Provider)
	}
	typ := events.PaymentMethodType(d.PaymentMethod)
	if typ == "" {
		typ = events.PaymentCard
	}
	if !prov.Takes(typ) {
		return lifecycle.Reject(events.ReasonUnsupportedByProvider, "data.payment_method.type",
			"%s charges do not take %q payment methods (they take %v)", d.Provider, events.Truncate(typ, maxShownLength), prov.PaymentMethods)
	}
	if d.Save && !prov.SavesPaymentMethods {
		return lifecycle.Reject(events.ReasonUnsupportedByProvider, "data.save", "%s does not save payment methods", d.Provider)
	}
	if d.Save && typ == events.PaymentToken {
		return events.Invalid("data.save", "the payment method is already a saved one")
	}
	c.sale = prov.Sale
	c.method = methodRef{Type: typ}
	if !prov.CardNotPresent {
		return nil
	}
	const field = "data.payment_method"
	switch typ {
	case events.PaymentCard:
		card, err := events.ValidateCardMethod(field, d.PaymentMethod)
		if err != nil {
			return err
		}
		shown := MaskPaymentMethod(d.PaymentMethod)
		shown.Type, shown.ExpiryMonth, shown.ExpiryYear = events.PaymentCard, card.ExpiryMonth, card.ExpiryYear
		shown.HolderName = events.Truncate(card.HolderName, maxShownLength*2)
		c.shown = &shown
	case events.PaymentBankAccount:
		acct, err := events.ValidateBankAccountMethod(field, d.PaymentMethod)
		if err != nil {
			return err
		}
		c.shown = &events.PaymentMethod{Type: events.PaymentBankAccount, Last4: acct.AccountNumber[len(acct.AccountNumber)-4:],
			AccountType: acct.AccountType, HolderName: events.Truncate(acct.HolderName, maxShownLength*2)}
	case events.PaymentToken:
		tok, err := events.ValidateTokenMethod(field, d.PaymentMethod)
		if err != nil {
			return err
		}
		c.method.PMID = tok.Token
		c.shown = &events.PaymentMethod{Type: events.PaymentToken, ID: tok.Token}
	default:
		return events.Invalid(field+".type", "must be card, bank_account or token")
	}
	return nil
}

// saveID is the pm_ id a charge saves its payment method under: derived
// from the charge's id, so that a replay of the create names the same one.
func saveID(t *store.Txn) string {
	u := uuid.NewSHA1(t.ID, []byte("payment_method"))
	return "pm_" + hex.EncodeToString(u[:])
}
