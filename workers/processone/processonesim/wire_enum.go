package processonesim

// CreditCardType is ProcessOne's card brand enumeration.
type CreditCardType int

// Credit card types.
const (
	CardUndefined   CreditCardType = 0
	CardVisa        CreditCardType = 1
	CardMasterCard  CreditCardType = 2
	CardAmex        CreditCardType = 3
	CardDiscover    CreditCardType = 4
	CardPinlessDebt CreditCardType = 5
	CardStar        CreditCardType = 6
	CardNyce        CreditCardType = 7
	CardPulse       CreditCardType = 8
	CardOther       CreditCardType = 99
)

// CreditCardNetworkType says whether a card is debit, credit or both.
type CreditCardNetworkType int

// Card network types.
const (
	NetworkUnknown CreditCardNetworkType = 0
	NetworkHybrid  CreditCardNetworkType = 1
	NetworkDebit   CreditCardNetworkType = 2
	NetworkCredit  CreditCardNetworkType = 3
)

// TokenType says what a payment token stands for.
type TokenType int

// Token types.
const (
	TokenUndefined  TokenType = 0
	TokenCreditCard TokenType = 1
	TokenEft        TokenType = 2
)

// EftAccountType is checking or savings.
type EftAccountType int

// EFT account types.
const (
	AccountUndefined EftAccountType = 0
	AccountChecking  EftAccountType = 1
	AccountSavings   EftAccountType = 2
)

// TransactionOrigination sets the ACH SEC code of a debit.
type TransactionOrigination int

// Transaction originations.
const (
	OriginationUndefined TransactionOrigination = 0
	OriginationWEB       TransactionOrigination = 1
	OriginationPPD       TransactionOrigination = 2
)

// TransactionStatus is a transaction's state at ProcessOne.
type TransactionStatus int

// Transaction statuses.
const (
	StatusUndefined    TransactionStatus = 0
	StatusInProcess    TransactionStatus = 1
	StatusSuccessful   TransactionStatus = 2
	StatusFailed       TransactionStatus = 3
	StatusVoided       TransactionStatus = 4
	StatusCanceled     TransactionStatus = 5
	StatusReversed     TransactionStatus = 6
	StatusCardReleased TransactionStatus = 7
	StatusReturned     TransactionStatus = 8
)

// ReturnReasonType classifies a returned transaction.
type ReturnReasonType int

// Return reason types.
const (
	ReturnUndefined        ReturnReasonType = 0
	ReturnChargebackCredit ReturnReasonType = 1
	ReturnEft              ReturnReasonType = 2
)

// TransactionType is ProcessOne's transaction type. Only the types this
// connector and its simulator produce have names; the seed lists 45.
type TransactionType int

// Transaction types (values from the seed).
const (
	TypeUndefined                 TransactionType = 0
	TypeChargeCreditCard          TransactionType = 1
	TypeRefundCreditCard          TransactionType = 2
	TypeVoidCreditCard            TransactionType = 3
	TypeCreditEft                 TransactionType = 5
	TypeDebitEftNoFee             TransactionType = 6
	TypeVoidEft                   TransactionType = 7
	TypeSaveCreditCard            TransactionType = 11
	TypeRemoveSavedCreditCard     TransactionType = 12
	TypeRecurringChargeCreditCard TransactionType = 13
	TypeChargeCreditCardNoFee     TransactionType = 14
	TypeRefundEft                 TransactionType = 18
	TypeSaveEft                   TransactionType = 21
	TypeDebitEft                  TransactionType = 22
	TypeRecurringEft              TransactionType = 23
	TypeRemoveSavedEft            TransactionType = 24
	TypeVerifyCreditCard          TransactionType = 28
	TypeVerifyBankAccount         TransactionType = 29
	TypeCreditBankAccount         TransactionType = 31
	TypeVoidBankAccountCredit     TransactionType = 32
)
