package codesconn

import (
	"context"
	"fmt"
	"strings"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/paycode"
)

// CodeNotConfirmed is the code of a verify whose GET /code/{code}
// contradicts the payment's callback.
const CodeNotConfirmed = "not_confirmed"

// verify cross-checks a payment's callback against GET /code/{code} of the
// payment's code (read-only, Repeat). OK when the code is the merchant's,
// carries the callback's merchant reference and currency, and, if use-once,
// is USED; Declined (not_confirmed, saying what disagrees) when the code is
// unknown, malformed or another merchant's, or the answer contradicts the
// callback; Unknown when there was no answer (time-out, 5xx), to be asked
// again.
//
// The amount is not compared: the provider's details carry the code's
// amount, not the amount paid, and a code with request_partial_payment is
// rightly paid another amount (the details do not say which codes allow it).
func (c *conn) verify(ctx context.Context, call connector.Call) (lifecycle.Result, error) {
	cl, err := c.clientFor(ctx, call.Txn)
	if err != nil {
		return lifecycle.Result{}, err
	}
	d, err := c.paymentData(call.Txn)
	if err != nil || d.Code == "" {
		return invalid(OpVerify, fmt.Errorf("payment data: %v", err)), nil
	}
	details, err := cl.Get(ctx, d.Code)
	switch statusOf(err) {
	case paycode.StatusCodeNotFound, paycode.StatusInvalidCode, paycode.StatusNotOwner:
		return notConfirmed(fmt.Sprintf("the provider does not know code %s as this merchant's (%d)", d.Code, statusOf(err))), nil
	}
	if err != nil {
		r := resultOf(OpVerify, err)
		r.Outcome = lifecycle.Unknown // no answer about the payment: ask again
		return r, nil
	}
	if why := disagreement(d, details); why != "" {
		return notConfirmed(why), nil
	}
	return lifecycle.Result{Op: OpVerify, Outcome: lifecycle.OK}, nil
}

// disagreement is what the provider's details of the code say against the
// callback's data, or "".
func disagreement(d events.CodePaymentData, got *paycode.CodeDetails) string {
	var why []string
	if got.MerchantReference != "" && got.MerchantReference != d.MerchantReference {
		why = append(why, fmt.Sprintf("the code's merchant reference is %q, the callback said %q", got.MerchantReference, d.MerchantReference))
	}
	if got.Currency != "" && d.Currency != "" && !strings.EqualFold(got.Currency, d.Currency) {
		why = append(why, fmt.Sprintf("the code's currency is %s, the callback said %s", got.Currency, d.Currency))
	}
	if got.UseOnce && got.Status != "" && got.Status != "USED" {
		why = append(why, fmt.Sprintf("the code is use-once but %s, not used", got.Status))
	}
	return strings.Join(why, "; ")
}

func notConfirmed(msg string) lifecycle.Result {
	return lifecycle.Result{Op: OpVerify, Outcome: lifecycle.Declined, Code: CodeNotConfirmed, Message: msg}
}
