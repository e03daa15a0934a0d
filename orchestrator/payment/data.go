// Package payment: STUB (helper "codeconn") of helper "codelife"'s accessor,
// replaced by the lead at merge.
package payment

import (
	"errors"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Data is the payment's recorded callback data.
func Data(t *store.Txn) (events.CodePaymentData, error) {
	return events.CodePaymentData{}, errors.New("payment.Data: stub")
}
