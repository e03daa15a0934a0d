package processoneconn

import (
	"encoding/json"
	"testing"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/processone"
	"github.com/switchyard/switchyard/workers/processone/processonesim"
)

// expect is the seed's answer to a charge through the outcome table.
type expect struct {
	outcome lifecycle.Outcome
	code    processone.ResponseCode
}

var codeExpect = map[processone.ResponseCode]expect{
	processone.CodeSuccess:                  {lifecycle.OK, ""},
	processone.CodeIncorrectValidationValue: {lifecycle.Declined, processone.CodeIncorrectValidationValue},
	processone.CodeDeclined:                 {lifecycle.Declined, processone.CodeDeclined},
	processone.CodeOverMaximumPayment:       {lifecycle.Declined, processone.CodeOverMaximumPayment},
	// Found by CallbackId, failed: a decline that keeps the code.
	processone.CodeDuplicateTransaction:  {lifecycle.Declined, processone.CodeDuplicateTransaction},
	processone.CodeGatewayInternalError:  {lifecycle.Failed, processone.CodeGatewayInternalError},
	processone.CodeInvalidCardNumber:     {lifecycle.Declined, processone.CodeInvalidCardNumber},
	processone.CodeAvsVerificationFailed: {lifecycle.Declined, processone.CodeAvsVerificationFailed},
	processone.CodeCall:                  {lifecycle.Declined, processone.CodeCall},
	processone.CodeACHTransactionFailed:  {lifecycle.Declined, processone.CodeACHTransactionFailed},
	processone.CodeInvalidAccountNumber:  {lifecycle.Declined, processone.CodeInvalidAccountNumber},
	processone.CodeInvalidRoutingNumber:  {lifecycle.Declined, processone.CodeInvalidRoutingNumber},
	processone.CodeNoProcessorResponse:   {lifecycle.Unknown, processone.CodeNoProcessorResponse},
}

// chargeRow is one row of the seed's test data: a payment method, an
// amount and the ResponseCode the seed gives them.
type chargeRow struct {
	name   string
	pm     json.RawMessage
	amount string
	code   processone.ResponseCode
}

// chargeRows are every row of the seed's card, amount and bank-account
// tables that a charge can take.
func chargeRows() []chargeRow {
	var rows []chargeRow
	// The card + amount table, for each of its four cards, and an amount
	// it does not list.
	amounts := []struct {
		amount string
		code   processone.ResponseCode
	}{
		{"1.00", processone.CodeSuccess}, {"25.00", processone.CodeSuccess},
		{"2.00", processone.CodeIncorrectValidationValue}, {"12.00", processone.CodeIncorrectValidationValue},
		{"3.00", processone.CodeDeclined}, {"13.00", processone.CodeDeclined},
		{"4.00", processone.CodeOverMaximumPayment},
		{"5.00", processone.CodeDuplicateTransaction}, {"15.00", processone.CodeDuplicateTransaction},
		{"6.00", processone.CodeGatewayInternalError}, {"16.00", processone.CodeGatewayInternalError},
		{"7.00", processone.CodeInvalidCardNumber}, {"17.00", processone.CodeInvalidCardNumber},
		{"14.00", processone.CodeAvsVerificationFailed}, {"18.00", processone.CodeCall},
		{"19.00", processone.CodeNoProcessorResponse},
	}
	for _, number := range []string{"4444444444444448", "5431111111111111", "341111111111111", "6011601160116611"} {
		for _, a := range amounts {
			rows = append(rows, chargeRow{number + " " + a.amount, card(number), a.amount, a.code})
		}
	}
	// The test cards approve whatever the amount (3.00 declines on the
	// amount table's cards).
	for _, number := range []string{"4111111111111111", "4024007167282317", "6011172923498605", "5384483278305365"} {
		rows = append(rows, chargeRow{number, card(number), "3.00", processone.CodeSuccess})
	}
	// The card-number table, regardless of amount, including the cards
	// approved for a later void or refund.
	byCard := map[string]processone.ResponseCode{
		"4444444444444125": processone.CodeSuccess, "4444444444444133": processone.CodeIncorrectValidationValue,
		"4444444444444141": processone.CodeDeclined, "4444444444444158": processone.CodeOverMaximumPayment,
		"4444444444444166": processone.CodeDuplicateTransaction, "4444444444444174": processone.CodeGatewayInternalError,
		"4444444444444182": processone.CodeInvalidCardNumber, "4444444444444190": processone.CodeSuccess,
		"4444444444444208": processone.CodeIncorrectValidationValue, "4444444444444216": processone.CodeDeclined,
		"4444444444444224": processone.CodeAvsVerificationFailed, "4444444444444232": processone.CodeDuplicateTransaction,
		"4444444444444240": processone.CodeGatewayInternalError, "4444444444444257": processone.CodeInvalidCardNumber,
		"4444444444444265": processone.CodeCall, "4444444444444273": processone.CodeNoProcessorResponse,
		"4444444444444299": processone.CodeSuccess, "4444444444444307": processone.CodeSuccess,
		"4444444444444315": processone.CodeSuccess, "4444444444444323": processone.CodeSuccess,
		"4444444444444331": processone.CodeSuccess, "4444444444444349": processone.CodeSuccess,
		"4444444444444356": processone.CodeSuccess, "4444444444444364": processone.CodeSuccess,
		"4444444444444372": processone.CodeSuccess, "4444444444444380": processone.CodeSuccess,
		"4444444444444398": processone.CodeSuccess, "4444444444444505": processone.CodeSuccess,
		"4444444444444513": processone.CodeSuccess,
	}
	for number, code := range byCard {
		rows = append(rows, chargeRow{number, card(number), "10.00", code})
	}
	// Bank accounts: the amount table, the account table and the
	// validation table.
	for amount, code := range map[string]processone.ResponseCode{"1.00": processone.CodeSuccess, "20.00": processone.CodeSuccess,
		"2.00": processone.CodeACHTransactionFailed, "3.00": processone.CodeGatewayInternalError,
		"4.00": processone.CodeNoProcessorResponse} {
		rows = append(rows, chargeRow{"eft 1234567890 " + amount, bank("1234567890"), amount, code})
	}
	for account, code := range map[string]processone.ResponseCode{"123456789": processone.CodeSuccess,
		"1234567892": processone.CodeSuccess, "1234567893": processone.CodeACHTransactionFailed,
		"1234567894": processone.CodeGatewayInternalError, "1234567895": processone.CodeNoProcessorResponse,
		"1234567896": processone.CodeSuccess, "1234567897": processone.CodeSuccess, "1234567898": processone.CodeSuccess,
		"2234567890": processone.CodeInvalidAccountNumber, "3234567890": processone.CodeInvalidRoutingNumber,
		"4234567890": processone.CodeGatewayInternalError} {
		rows = append(rows, chargeRow{"eft " + account, bank(account), "10.00", code})
	}
	return rows
}

// TestChargeTestData: every row of the seed's test data through the
// connector's charge: the outcome and code the table gives its
// ResponseCode, and on an approval the TransactionId ProcessOne holds under
// the charge's CallbackId. A NoProcessorResponse is unknown, and its Recover finds
// the charge failed by CallbackId without charging again.
func TestChargeTestData(t *testing.T) {
	t.Parallel()
	r := newRig(t, processonesim.Options{})
	for _, row := range chargeRows() {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			txn := r.chargeTxn(row.amount, row.pm, "")
			e, ok := codeExpect[row.code]
			if !ok {
				t.Fatalf("no expectation for %s", row.code)
			}
			res := r.call(t, OpCharge, txn, false)
			want(t, "charge", res, e.outcome, e.code)
			if res.Outcome != lifecycle.OK && res.Outcome != lifecycle.Unknown {
				return // a refusal of the request itself leaves no transaction to query
			}
			ti := r.byCallback(t, txn, OpCharge)
			if res.Outcome == lifecycle.OK && ti.TransactionID != res.ProviderReference {
				t.Fatalf("approved as %s, ProcessOne holds %s under the CallbackId", res.ProviderReference, ti.TransactionID)
			}
			if res.Outcome != lifecycle.Unknown {
				return
			}
			res = r.call(t, OpCharge, txn, true)
			want(t, "recover", res, lifecycle.Declined, processone.CodeDeclined)
			if res.ProviderReference != ti.TransactionID {
				t.Fatalf("recovered %s, ProcessOne holds %s", res.ProviderReference, ti.TransactionID)
			}
		})
	}
}
