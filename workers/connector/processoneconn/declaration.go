package processoneconn

import (
	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Declaration is what the ProcessOne connector can do: one-step sales of a
// card, a saved method (token) or a bank account (EFT), saving the card or
// account for later charges, voiding a sale whose batch is open, and
// refunding a settled one in full or in part.
var Declaration = lifecycle.Provider{
	Name:                events.ProviderProcessOne,
	Charges:             true,
	Sale:                true,
	CardNotPresent:      true,
	PaymentMethods:      []string{events.PaymentCard, events.PaymentToken, events.PaymentBankAccount},
	SavesPaymentMethods: true,
	Void:                true,
	Refund:              true,
}
