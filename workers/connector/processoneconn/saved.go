package processoneconn

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/processone"
)

// brands names ProcessOne's card types as a payment method shows them.
var brands = map[processone.CreditCardType]string{
	processone.CardVisa: "visa", processone.CardMasterCard: "mastercard", processone.CardAmex: "amex",
	processone.CardDiscover: "discover", processone.CardPinlessDebt: "pinless_debit", processone.CardStar: "star",
	processone.CardNyce: "nyce", processone.CardPulse: "pulse", processone.CardOther: "other",
}

// errNoToken: ProcessOne approved a charge that asked to save its method,
// and returned no token.
var errNoToken = errors.New("ProcessOne approved the charge but returned no token to save")

// shown is what may be shown of the card or account m saved as pmID: BIN,
// last four, brand, expiry and holder of a card; type, last four and holder
// of an account. Never the number, the CVV or the token.
func (m *method) shown(pmID string, brand processone.CreditCardType) events.PaymentMethod {
	if m.bank != nil {
		b := m.bank
		return events.PaymentMethod{Type: events.PaymentBankAccount, Last4: last4(b.AccountNumber),
			AccountType: b.AccountType, HolderName: b.HolderName, ID: pmID}
	}
	c := m.card
	return events.PaymentMethod{Type: events.PaymentCard, BIN: c.CardNumber[:min(6, len(c.CardNumber))],
		Last4: last4(c.CardNumber), Brand: brands[brand], ExpiryMonth: c.ExpiryMonth, ExpiryYear: c.ExpiryYear,
		HolderName: c.HolderName, ID: pmID}
}

func last4(s string) string { return s[max(0, len(s)-4):] }

// save keeps the token of the card or account charge t saved, sealed to the
// merchant and pm_ id, under the id the charge asked for (charge.SaveAs).
// Saving the same id again changes nothing.
func (c *conn) save(ctx context.Context, t *store.Txn, m *method, s sent) error {
	pmID := charge.SaveAs(t)
	if strings.TrimSpace(s.token) == "" {
		return fmt.Errorf("payment method %s: %w", pmID, errNoToken)
	}
	sealed := c.deps.Sealer.Seal([]byte(s.token), secret.PaymentMethodTokenAAD(t.MerchantID.String(), pmID))
	return c.deps.Store.PaymentMethodSave(ctx, &store.PaymentMethod{MerchantID: t.MerchantID, ID: pmID,
		Provider: events.ProviderProcessOne, Type: m.typ, CustomerID: charge.CustomerID(t), Shown: m.shown(pmID, s.brand),
		TokenSealed: sealed, TransactionID: t.ID})
}
