package payment

import (
	"errors"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// detailData is the details key of the payment's recorded callback data.
const detailData = "payment"

// ErrNoPayment is returned for a transaction that holds no payment data.
var ErrNoPayment = errors.New("payment: the transaction is not a payment on a code")

// Data returns the payment's recorded callback data.
func Data(t *store.Txn) (events.CodePaymentData, error) {
	var d events.CodePaymentData
	if t.Type != events.TypePayment || !lifecycle.Detail(t, detailData, &d) {
		return d, ErrNoPayment
	}
	return d, nil
}
