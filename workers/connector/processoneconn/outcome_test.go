package processoneconn

import (
	"testing"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/processone"
)

// TestOutcomeTable: every ResponseCode of the client's enum has a row, and
// each row is the class the issue names: Success approves; issuer,
// validation and business-rule refusals decline with the code kept; gateway
// and configuration errors fail; NoProcessorResponse is unknown; the batch
// codes decline and say what they say of the batch; DuplicateTransaction is
// answered by the query by CallbackId, never as a decline.
func TestOutcomeTable(t *testing.T) {
	t.Parallel()
	declined := verdict{Outcome: lifecycle.Declined}
	failed := verdict{Outcome: lifecycle.Failed}
	want := map[processone.ResponseCode]verdict{
		processone.CodeSuccess:                      {Outcome: lifecycle.OK},
		processone.CodeInvalidAuthenticationKey:     failed,
		processone.CodeMerchantDisabled:             failed,
		processone.CodeIncorrectValidationValue:     declined,
		processone.CodeAvsVerificationFailed:        declined,
		processone.CodeIncorrectTransactionID:       failed,
		processone.CodeInvalidCardNumber:            declined,
		processone.CodeCardExpired:                  declined,
		processone.CodeMaxAllowablePaymentsExceeded: declined,
		processone.CodeCardTypeNotAccepted:          declined,
		processone.CodeDeclined:                     declined,
		processone.CodeCall:                         declined,
		processone.CodeGatewayInternalError:         failed,
		processone.CodeInvalidRoutingNumber:         declined,
		processone.CodeInvalidAccountNumber:         declined,
		processone.CodeBlockedBankAccount:           declined,
		processone.CodeInvalidEFTAmount:             declined,
		processone.CodeEFTCustomerNameMissing:       declined,
		processone.CodeCreditCardCustomerNameMiss:   declined,
		processone.CodeACHTransactionFailed:         declined,
		processone.CodeCreditCardVoidFailed:         declined,
		processone.CodeBatchHasBeenClosed:           {Outcome: lifecycle.Declined, Batch: lifecycle.BatchClosed},
		processone.CodeOverMaximumPayment:           declined,
		processone.CodeInvalidCreditCardAmount:      declined,
		processone.CodeDuplicateTransaction:         {Outcome: lifecycle.Declined, Query: true},
		processone.CodeInvalidZipcode:               declined,
		processone.CodeInvalidExpirationDate:        declined,
		processone.CodeUnableToRefundTransaction:    declined,
		processone.CodePartialRefundIsNotAllowed:    declined,
		processone.CodeInvalidPartialRefundAmount:   declined,
		processone.CodeBatchHasNotBeenClosed:        {Outcome: lifecycle.Declined, Batch: lifecycle.BatchOpen},
		processone.CodeNoProcessorResponse:          {Outcome: lifecycle.Unknown},
		processone.CodeOperationNotSupported:        failed,
	}
	if len(want) != len(processone.AllCodes) {
		t.Fatalf("this test lists %d codes, the client %d", len(want), len(processone.AllCodes))
	}
	for _, code := range processone.AllCodes {
		got, ok := outcomes[code]
		if !ok {
			t.Errorf("%s: no row in the outcome table", code)
			continue
		}
		if got != want[code] {
			t.Errorf("%s: %+v, want %+v", code, got, want[code])
		}
		r := resultOfCode("charge", code, "msg")
		if r.Op != "charge" || r.Outcome != got.Outcome || r.Batch != got.Batch || r.Message != "msg" {
			t.Errorf("%s: result %+v", code, r)
		}
		if wantCode := code; code == processone.CodeSuccess {
			if r.Code != "" {
				t.Errorf("Success: code %q, want none", r.Code)
			}
		} else if r.Code != wantCode {
			t.Errorf("%s: code %q, want the ResponseCode kept", code, r.Code)
		}
	}
	if len(outcomes) != len(processone.AllCodes) {
		t.Errorf("the table has %d rows for %d codes", len(outcomes), len(processone.AllCodes))
	}
	// A code ProcessOne adds later is a refusal: it answered, and not Success.
	if r := resultOfCode("charge", "SomethingNew", ""); r.Outcome != lifecycle.Declined || r.Code != "SomethingNew" {
		t.Errorf("unlisted code: %+v", r)
	}
}
