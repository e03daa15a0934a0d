package processonesim

// SaveEftRequest tokenizes a bank account (api/Eft/Save).
type SaveEftRequest struct {
	EftDetails                  *EftDetails
	ClientReferenceData         *ClientReferenceData
	CallbackID                  *string `json:"CallbackId"`
	BypassBankAccountValidation bool
	CustomerID                  *string `json:"CustomerId"`
	AccountGroupCode            *string
	Authentication
}

// SaveEftResponse carries the new token.
type SaveEftResponse struct {
	Token               string
	BankName            *string
	ServerReferenceData *ServerReferenceData
	TimeZone            *string
	TokenCreationTime   Date
	Result
}

// CreditEftRequest pays money to a bank account (api/Eft/Credit).
type CreditEftRequest struct {
	Amount              Amount
	Token               *string
	EftDetails          *EftDetails
	ClientReferenceData *ClientReferenceData
	IsRecurring         bool
	CallbackID          *string `json:"CallbackId"`
	CustomerID          *string `json:"CustomerId"`
	AccountGroupCode    *string
	Authentication
}

// CreditEftResponse is the credit result.
type CreditEftResponse struct {
	BankName        *string
	TransactionID   *string `json:"TransactionId"`
	TransactionDate Date
	TimeZone        string
	BatchNumber     int
	Result
}

// DebitEftRequest collects money from a bank account (api/Eft/Debit).
type DebitEftRequest struct {
	Save                        bool
	ChargeFee                   bool
	ConvenienceFeeType          *string
	BypassBankAccountValidation bool
	TransactionOrigination      *TransactionOrigination
	Amount                      Amount
	Token                       *string
	EftDetails                  *EftDetails
	ClientReferenceData         *ClientReferenceData
	IsRecurring                 bool
	CallbackID                  *string `json:"CallbackId"`
	CustomerID                  *string `json:"CustomerId"`
	AccountGroupCode            *string
	Authentication
}

// DebitEftResponse is the debit result.
type DebitEftResponse struct {
	Token               *string
	ServerReferenceData *ServerReferenceData
	BankName            *string
	TransactionID       *string `json:"TransactionId"`
	TransactionDate     Date
	TimeZone            string
	BatchNumber         int
	Result
}

// VoidEftRequest voids an EFT transaction whose batch is still open.
type VoidEftRequest struct {
	TransactionID string  `json:"TransactionId"`
	CallbackID    *string `json:"CallbackId"`
	Authentication
}

// VoidEftResponse carries the id of the void transaction.
type VoidEftResponse struct {
	TransactionID *string `json:"TransactionId"`
	Result
}

// RefundEftRequest refunds a settled EFT debit.
type RefundEftRequest struct {
	TransactionID       string  `json:"TransactionId"`
	CallbackID          *string `json:"CallbackId"`
	PartialRefundAmount *Amount
	Authentication
}

// RefundEftResponse carries the id of the refund transaction.
type RefundEftResponse struct {
	TransactionID *string `json:"TransactionId"`
	BatchNumber   int
	Result
}

// VerifyBankAccountRequest validates a bank account or a saved EFT token.
type VerifyBankAccountRequest struct {
	EftDetails          *EftDetails
	Token               *string
	ClientReferenceData *ClientReferenceData
	CustomerID          *string `json:"CustomerId"`
	Authentication
}

// VerifyBankAccountResponse is the validation result.
type VerifyBankAccountResponse struct {
	ServerReferenceData *ServerReferenceData
	Result
}

// GetBankDataRequest looks a routing number up.
type GetBankDataRequest struct {
	RoutingNumber string
	Authentication
}

// GetBankDataResponse describes the bank.
type GetBankDataResponse struct {
	Description *string
	BankName    string
	BankAddress string
	BankCity    string
	BankState   string
	Result
}
