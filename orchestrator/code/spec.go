// Package code: STUB (helper "codeconn") of helper "codelife"'s accessor,
// replaced by the lead at merge.
package code

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Spec is what a code is (or is asked to become).
type Spec struct {
	Amount                            decimal.Decimal
	Currency, Reference               string
	ShortDescription                  string
	Expires                           *time.Time // nil = never
	UseOnce                           bool
	LimitBasket                       []events.CodeBasketItem
	RequestPartialPayment, RequestTip bool
	SubMerchantName, TerminalID       string
	SMSNotify, EmailNotify            []string
	RRN2, ProductURL                  string
}

// Pending is what the code's in-flight operation asks the code to become.
func Pending(t *store.Txn) (Spec, error) { return Spec{}, errors.New("code.Pending: stub") }
