package processoneconn

import (
	"errors"
	"net/http"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/processone"
	"github.com/switchyard/switchyard/workers/provider"
)

// verdict is what a ResponseCode means for the operation that got it.
type verdict struct {
	Outcome lifecycle.Outcome
	// Batch is what the code says of the batch of the transaction the call
	// was about (a void or refund refused because of it).
	Batch lifecycle.Batch
	// Query: the code does not say what happened to this operation; the
	// transaction its CallbackId names does (DuplicateTransaction: an
	// earlier attempt with this CallbackId exists). Outcome is the answer
	// when there is none.
	Query bool
}

var (
	approved = verdict{Outcome: lifecycle.OK}
	refused  = verdict{Outcome: lifecycle.Declined} // the issuer, the bank or ProcessOne's rules said no
	broken   = verdict{Outcome: lifecycle.Failed}   // the gateway or our set-up failed; nothing moved
)

// outcomes is the one table of ProcessOne's ResponseCodes (the seed's
// "Response Code Definitions"); TestOutcomeTable fails when a code of the
// client's enum has no row.
var outcomes = map[processone.ResponseCode]verdict{
	processone.CodeSuccess: approved,

	// Our configuration or the gateway: nothing was done.
	processone.CodeInvalidAuthenticationKey: broken,
	processone.CodeMerchantDisabled:         broken,
	processone.CodeOperationNotSupported:    broken,
	processone.CodeGatewayInternalError:     broken, // "System is down"
	// A void or refund of a transaction ProcessOne does not know (or that
	// did not succeed there): a fault of ours, nothing moved.
	processone.CodeIncorrectTransactionID: broken,

	// Issuer and validation refusals.
	processone.CodeIncorrectValidationValue:   refused,
	processone.CodeAvsVerificationFailed:      refused,
	processone.CodeInvalidCardNumber:          refused,
	processone.CodeCardExpired:                refused,
	processone.CodeCardTypeNotAccepted:        refused,
	processone.CodeDeclined:                   refused,
	processone.CodeCall:                       refused,
	processone.CodeInvalidZipcode:             refused,
	processone.CodeInvalidExpirationDate:      refused,
	processone.CodeCreditCardCustomerNameMiss: refused,
	processone.CodeInvalidRoutingNumber:       refused,
	processone.CodeInvalidAccountNumber:       refused,
	processone.CodeBlockedBankAccount:         refused,
	processone.CodeEFTCustomerNameMissing:     refused,
	processone.CodeACHTransactionFailed:       refused,
	// ProcessOne's amount and payment rules.
	processone.CodeOverMaximumPayment:           refused,
	processone.CodeMaxAllowablePaymentsExceeded: refused,
	processone.CodeInvalidCreditCardAmount:      refused,
	processone.CodeInvalidEFTAmount:             refused,
	// Void and refund refusals.
	processone.CodeCreditCardVoidFailed:       refused,
	processone.CodeUnableToRefundTransaction:  refused,
	processone.CodePartialRefundIsNotAllowed:  refused,
	processone.CodeInvalidPartialRefundAmount: refused,
	processone.CodeBatchHasBeenClosed:         {Outcome: lifecycle.Declined, Batch: lifecycle.BatchClosed},
	processone.CodeBatchHasNotBeenClosed:      {Outcome: lifecycle.Declined, Batch: lifecycle.BatchOpen},

	// The card network timed out: the issuer may have approved. Resolved by
	// the query by CallbackId, never by repeating the call.
	processone.CodeNoProcessorResponse: {Outcome: lifecycle.Unknown},
	// An earlier attempt with this CallbackId exists (or the payment repeats
	// one within ProcessOne's window): asked by CallbackId.
	processone.CodeDuplicateTransaction: {Outcome: lifecycle.Declined, Query: true},
}

// verdictOf is code's row; a code ProcessOne adds later is a refusal (it
// answered, and not Success).
func verdictOf(code processone.ResponseCode) verdict {
	if v, ok := outcomes[code]; ok {
		return v
	}
	return refused
}

// resultOfCode is op's result for a ResponseCode: the code is kept, except
// on Success.
func resultOfCode(op string, code processone.ResponseCode, msg string) lifecycle.Result {
	v := verdictOf(code)
	r := lifecycle.Result{Op: op, Outcome: v.Outcome, Batch: v.Batch, Code: code, Message: msg}
	if code == processone.CodeSuccess {
		r.Code = ""
	}
	return r
}

// resultOf is op's result for a call's error: a ProcessOne answer (HTTP 200
// with a ResponseCode) through the table, anything else (time-out, reset,
// 5xx, refused connection, an amount refused before sending) by its
// transport class (connector.ResultOf).
func resultOf(op string, err error) lifecycle.Result {
	if err == nil {
		return resultOfCode(op, processone.CodeSuccess, "")
	}
	var pe *provider.Error
	if errors.As(err, &pe) && pe.Status == http.StatusOK && pe.Code != "" {
		return resultOfCode(op, pe.Code, pe.Message)
	}
	return connector.ResultOf(op, err)
}
