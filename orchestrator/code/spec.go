package code

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Spec is what a code is (or is asked to become) at the provider. The
// connector sends Expires on every create and update (nil: never, sent as
// the provider's 0), so that the provider's own default never applies.
type Spec struct {
	Amount                                decimal.Decimal
	Currency, Reference, ShortDescription string
	Expires                               *time.Time // nil = never
	UseOnce                               bool
	LimitBasket                           []events.CodeBasketItem
	RequestPartialPayment, RequestTip     bool
	SubMerchantName, TerminalID           string
	SMSNotify, EmailNotify                []string
	RRN2, ProductURL                      string
}

// ErrNoCode is returned for a transaction that holds no code state.
var ErrNoCode = errors.New("code: the transaction is not a code")

// Pending returns what the code's in-flight operation (create, update,
// set_amount) asks the code to become; with none, the code as it is. The
// provider's code number is t.ProviderReference once created.
func Pending(t *store.Txn) (Spec, error) {
	if t.Type != events.TypeCode {
		return Spec{}, ErrNoCode
	}
	s, ok := readState(t)
	if !ok {
		return Spec{}, ErrNoCode
	}
	if s.Next != nil {
		return *s.Next, nil
	}
	return s.Spec, nil
}
