package processone

import "github.com/switchyard/switchyard/workers/provider"

// ResponseCode is ProcessOne's operation result, carried in every response
// body as "ResponseCode".
type ResponseCode = string

// The response codes of the seed's "Response Code Definitions" table.
const (
	CodeSuccess                      ResponseCode = "Success"
	CodeInvalidAuthenticationKey     ResponseCode = "InvalidAuthenticationKey"
	CodeMerchantDisabled             ResponseCode = "MerchantDisabled"
	CodeIncorrectValidationValue     ResponseCode = "IncorrectValidationValue"
	CodeAvsVerificationFailed        ResponseCode = "AvsVerificationFailed"
	CodeIncorrectTransactionID       ResponseCode = "IncorrectTransactionId"
	CodeInvalidCardNumber            ResponseCode = "InvalidCardNumber"
	CodeCardExpired                  ResponseCode = "CardExpired"
	CodeMaxAllowablePaymentsExceeded ResponseCode = "MaxAllowablePaymentsExceeded"
	CodeCardTypeNotAccepted          ResponseCode = "CardTypeNotAccepted"
	CodeDeclined                     ResponseCode = "Declined"
	CodeCall                         ResponseCode = "Call"
	CodeGatewayInternalError         ResponseCode = "GatewayInternalError"
	CodeInvalidRoutingNumber         ResponseCode = "InvalidRoutingNumber"
	CodeInvalidAccountNumber         ResponseCode = "InvalidAccountNumber"
	CodeBlockedBankAccount           ResponseCode = "BlockedBankAccount"
	CodeInvalidEFTAmount             ResponseCode = "InvalidEFTAmount"
	CodeEFTCustomerNameMissing       ResponseCode = "EFTCustomerNameMissing"
	CodeCreditCardCustomerNameMiss   ResponseCode = "CreditCardCustomerNameMissing"
	CodeACHTransactionFailed         ResponseCode = "ACHTransactionFailed"
	CodeCreditCardVoidFailed         ResponseCode = "CreditCardVoidFailed"
	CodeBatchHasBeenClosed           ResponseCode = "BatchHasBeenClosed"
	CodeOverMaximumPayment           ResponseCode = "OverMaximumPayment"
	CodeInvalidCreditCardAmount      ResponseCode = "InvalidCreditCardAmount"
	CodeDuplicateTransaction         ResponseCode = "DuplicateTransaction"
	CodeInvalidZipcode               ResponseCode = "InvalidZipcode"
	CodeInvalidExpirationDate        ResponseCode = "InvalidExpirationDate"
	CodeUnableToRefundTransaction    ResponseCode = "UnableToRefundTransaction"
	CodePartialRefundIsNotAllowed    ResponseCode = "PartialRefundIsNotAllowed"
	CodeInvalidPartialRefundAmount   ResponseCode = "InvalidPartialRefundAmount"
	CodeBatchHasNotBeenClosed        ResponseCode = "BatchHasNotBeenClosed"
	CodeNoProcessorResponse          ResponseCode = "NoProcessorResponse"
	CodeOperationNotSupported        ResponseCode = "OperationNotSupportedByGateway"
)

// AllCodes lists every response code the seed defines, Success first.
var AllCodes = []ResponseCode{
	CodeSuccess, CodeInvalidAuthenticationKey, CodeMerchantDisabled, CodeIncorrectValidationValue,
	CodeAvsVerificationFailed, CodeIncorrectTransactionID, CodeInvalidCardNumber, CodeCardExpired,
	CodeMaxAllowablePaymentsExceeded, CodeCardTypeNotAccepted, CodeDeclined, CodeCall,
	CodeGatewayInternalError, CodeInvalidRoutingNumber, CodeInvalidAccountNumber, CodeBlockedBankAccount,
	CodeInvalidEFTAmount, CodeEFTCustomerNameMissing, CodeCreditCardCustomerNameMiss, CodeACHTransactionFailed,
	CodeCreditCardVoidFailed, CodeBatchHasBeenClosed, CodeOverMaximumPayment, CodeInvalidCreditCardAmount,
	CodeDuplicateTransaction, CodeInvalidZipcode, CodeInvalidExpirationDate, CodeUnableToRefundTransaction,
	CodePartialRefundIsNotAllowed, CodeInvalidPartialRefundAmount, CodeBatchHasNotBeenClosed,
	CodeNoProcessorResponse, CodeOperationNotSupported,
}

// codeKinds maps the codes that are not a plain "the provider said no" to
// their outcome kind. Every other non-Success code is KindDeclined.
var codeKinds = map[ResponseCode]provider.Kind{
	// Our configuration is wrong: nothing was attempted.
	CodeInvalidAuthenticationKey: provider.KindFailed,
	CodeMerchantDisabled:         provider.KindFailed,
	CodeOperationNotSupported:    provider.KindFailed,
	// "System is down": the provider answered that the operation failed.
	CodeGatewayInternalError: provider.KindFailed,
	// The card network timed out: the issuer may have authorised. Resolve
	// with GetTransactionByCallbackId, never by repeating the call.
	CodeNoProcessorResponse: provider.KindUnknown,
}

// KindOfCode classifies a non-Success ResponseCode.
func KindOfCode(code ResponseCode) provider.Kind {
	if k, ok := codeKinds[code]; ok {
		return k
	}
	return provider.KindDeclined
}
