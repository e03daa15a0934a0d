package processonesim

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
