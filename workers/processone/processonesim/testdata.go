package processonesim

// The seed's TEST DATA section, as data. Card tables are keyed by the full
// test number as the seed prints it; at run time they are looked up by BIN +
// last four (cardKey), which tells every test card apart, so the simulator
// never keeps a full card number.

// testCard is a row of the first table: brand, and for the hybrid cards the
// PIN-less debit network they become when the merchant is provisioned for it.
type testCard struct {
	brand   CreditCardType
	pinless CreditCardType // 0: not a hybrid card
	network CreditCardNetworkType
}

var testCards = map[string]testCard{
	"4111111111111111": {brand: CardVisa, network: NetworkCredit},
	"5431111111111111": {brand: CardMasterCard, network: NetworkCredit},
	"6011601160116611": {brand: CardDiscover, network: NetworkCredit},
	"341111111111111":  {brand: CardAmex, network: NetworkCredit},
	"4024007167282317": {brand: CardVisa, pinless: CardStar, network: NetworkHybrid},
	"6011172923498605": {brand: CardDiscover, pinless: CardPulse, network: NetworkHybrid},
	"5384483278305365": {brand: CardMasterCard, pinless: CardNyce, network: NetworkHybrid},
	// GetCardData's own example answers Visa / Debit for this number.
	"4444444444444448": {brand: CardVisa, network: NetworkDebit},
}

// amountCards answer a charge by its amount (chargeAmountCodes).
var amountCards = []string{"4444444444444448", "5431111111111111", "341111111111111", "6011601160116611"}

// chargeAmountCodes: "1.00 or any not listed amount" is Success.
var chargeAmountCodes = map[string]ResponseCode{
	"1.00":  CodeSuccess,
	"2.00":  CodeIncorrectValidationValue,
	"12.00": CodeIncorrectValidationValue,
	"3.00":  CodeDeclined,
	"13.00": CodeDeclined,
	"4.00":  CodeOverMaximumPayment,
	"5.00":  CodeDuplicateTransaction,
	"15.00": CodeDuplicateTransaction,
	"6.00":  CodeGatewayInternalError,
	"16.00": CodeGatewayInternalError,
	"7.00":  CodeInvalidCardNumber,
	"17.00": CodeInvalidCardNumber,
	"14.00": CodeAvsVerificationFailed,
	"18.00": CodeCall,
	"19.00": CodeNoProcessorResponse,
}

// saveCardCodes: "Test Data for Save transaction type".
var saveCardCodes = map[string]ResponseCode{
	"4444444444444117": CodeSuccess,
}

// chargeCardCodes: "Test Data for Charge transaction type", regardless of
// amount, including the cards approved for a subsequent void / refund.
var chargeCardCodes = map[string]ResponseCode{
	"4444444444444125": CodeSuccess,
	"4444444444444133": CodeIncorrectValidationValue,
	"4444444444444141": CodeDeclined,
	"4444444444444158": CodeOverMaximumPayment,
	"4444444444444166": CodeDuplicateTransaction,
	"4444444444444174": CodeGatewayInternalError,
	"4444444444444182": CodeInvalidCardNumber,
	"4444444444444190": CodeSuccess,
	"4444444444444208": CodeIncorrectValidationValue,
	"4444444444444216": CodeDeclined,
	"4444444444444224": CodeAvsVerificationFailed,
	"4444444444444232": CodeDuplicateTransaction,
	"4444444444444240": CodeGatewayInternalError,
	"4444444444444257": CodeInvalidCardNumber,
	"4444444444444265": CodeCall,
	"4444444444444273": CodeNoProcessorResponse,
	"4444444444444299": CodeSuccess,
	"4444444444444307": CodeSuccess,
	"4444444444444315": CodeSuccess,
	"4444444444444323": CodeSuccess,
	"4444444444444331": CodeSuccess,
	"4444444444444349": CodeSuccess,
	"4444444444444356": CodeSuccess,
	"4444444444444364": CodeSuccess,
	"4444444444444372": CodeSuccess,
	"4444444444444380": CodeSuccess,
	"4444444444444398": CodeSuccess,
	"4444444444444505": CodeSuccess,
	"4444444444444513": CodeSuccess,
}

// voidRefundCardCodes: "Test Data for void / refund transaction type", by
// the card of the charge being voided or refunded.
var voidRefundCardCodes = map[string]ResponseCode{
	"4444444444444299": CodeInvalidCardNumber,
	"4444444444444307": CodeIncorrectValidationValue,
	"4444444444444315": CodeDeclined,
	"4444444444444323": CodeInvalidCreditCardAmount,
	"4444444444444331": CodeDuplicateTransaction,
	"4444444444444349": CodeGatewayInternalError,
	"4444444444444356": CodeAvsVerificationFailed,
	"4444444444444364": CodeCardTypeNotAccepted,
	"4444444444444372": CodeCardExpired,
	"4444444444444380": CodeCall,
	"4444444444444398": CodeNoProcessorResponse,
	"4444444444444505": CodeSuccess,
	"4444444444444513": CodeSuccess,
}

// eftAmountAccount answers credits and debits by amount (eftAmountCodes)
// and voids / refunds by the original amount (eftVoidRefundAmountCodes).
const eftAmountAccount = "1234567890"

var eftAmountCodes = map[string]ResponseCode{
	"1.00": CodeSuccess,
	"2.00": CodeACHTransactionFailed,
	"3.00": CodeGatewayInternalError,
	"4.00": CodeNoProcessorResponse,
}

var eftVoidRefundAmountCodes = map[string]ResponseCode{
	"11.00": CodeACHTransactionFailed,
	"12.00": CodeGatewayInternalError,
	"13.00": CodeNoProcessorResponse,
}

// eftSaveCodes: SaveEft rows ("1234567890 $0.00 Successfully saved" is read
// as a save of that account).
var eftSaveCodes = map[string]ResponseCode{
	"1234567891": CodeSuccess,
	"1234567890": CodeSuccess,
}

// eftAccountCodes: credit or debit, regardless of amount.
var eftAccountCodes = map[string]ResponseCode{
	"1234567892": CodeSuccess,
	"1234567893": CodeACHTransactionFailed,
	"1234567894": CodeGatewayInternalError,
	"1234567895": CodeNoProcessorResponse,
	"1234567896": CodeSuccess,
	"1234567897": CodeSuccess,
	"1234567898": CodeSuccess,
}

// eftVoidRefundAccountCodes: void or refund of a transaction on these
// accounts (the seed's last two rows are mislabelled "Credit or Debit").
var eftVoidRefundAccountCodes = map[string]ResponseCode{
	"1234567896": CodeACHTransactionFailed,
	"1234567897": CodeGatewayInternalError,
	"1234567898": CodeNoProcessorResponse,
}

// bankValidationCodes: bank account validation, any valid routing number.
var bankValidationCodes = map[string]ResponseCode{
	"1234567890": CodeSuccess,
	"2234567890": CodeInvalidAccountNumber,
	"3234567890": CodeInvalidRoutingNumber,
	"4234567890": CodeGatewayInternalError,
}

// banks names the routing numbers the seed uses; any other valid routing
// number is "Test Bank".
var banks = map[string]GetBankDataResponse{
	"121042882": {BankName: "Wells Fargo Bank", BankAddress: "420 Montgomery St", BankCity: "San Francisco", BankState: "CA"},
	"123123123": {BankName: "Test Bank", BankAddress: "test address", BankCity: "Test city", BankState: "State"},
}

// codeMessages are the seed's descriptions, used as Message.
var codeMessages = map[ResponseCode]string{
	CodeSuccess:                      "Success",
	CodeInvalidAuthenticationKey:     "Invalid Authentication Key.",
	CodeMerchantDisabled:             "Your Merchant account is disabled.",
	CodeIncorrectValidationValue:     "The CVV2 code is invalid.",
	CodeAvsVerificationFailed:        "AVS failed.",
	CodeIncorrectTransactionID:       "The transaction is not valid or cannot be found.",
	CodeInvalidCardNumber:            "This is an invalid card number.",
	CodeCardExpired:                  "The Card is Expired.",
	CodeMaxAllowablePaymentsExceeded: "Maximum Allowable payments exceeded for policy or account.",
	CodeCardTypeNotAccepted:          "The card type provided is not supported.",
	CodeDeclined:                     "The transaction was declined by the issuing bank.",
	CodeCall:                         "The merchant should call the issuing bank.",
	CodeGatewayInternalError:         "System is down.",
	CodeInvalidRoutingNumber:         "You have sent in an invalid Routing Number.",
	CodeInvalidAccountNumber:         "You have sent in an invalid Account Number.",
	CodeBlockedBankAccount:           "This bank account has been blocked due to past failed payments.",
	CodeInvalidEFTAmount:             "Amount must be greater than $0.",
	CodeEFTCustomerNameMissing:       "The customer name is required.",
	CodeCreditCardCustomerNameMiss:   "The card holder name is required.",
	CodeACHTransactionFailed:         "Not able to process bank account payment.",
	CodeCreditCardVoidFailed:         "The voiding of the credit card transaction has failed.",
	CodeBatchHasBeenClosed:           "The batch has already been closed.",
	CodeOverMaximumPayment:           "Payment Amount has exceeded maximum allowed.",
	CodeInvalidCreditCardAmount:      "You have sent in an invalid amount for credit card transaction.",
	CodeDuplicateTransaction:         "A duplicate payment has been entered into the system.",
	CodeInvalidZipcode:               "An invalid zip code was passed.",
	CodeInvalidExpirationDate:        "An invalid expiration date was passed.",
	CodeUnableToRefundTransaction:    "Transaction has already been refunded.",
	CodePartialRefundIsNotAllowed:    "Your merchant is not setup to process partial refunds.",
	CodeInvalidPartialRefundAmount:   "An attempt was made to refund more than the original payment.",
	CodeBatchHasNotBeenClosed:        "The batch has not closed. You should void payment instead.",
	CodeNoProcessorResponse:          "No response from Processor.",
	CodeOperationNotSupported:        "Operation is not supported by gateway.",
}
