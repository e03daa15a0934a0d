package processonesim

// GetTransactionByIDRequest is api/Transaction/GetTransactionById.
type GetTransactionByIDRequest struct {
	TransactionID string `json:"TransactionId"`
	Authentication
}

// GetTransactionByCallbackIDRequest is
// api/Transaction/GetTransactionByCallbackId: the way to ask "did my call
// land?" after an unknown outcome.
type GetTransactionByCallbackIDRequest struct {
	CallbackID string `json:"CallbackId"`
	Authentication
}

// GetTransactionResponse answers both single-transaction queries.
type GetTransactionResponse struct {
	TransactionInformation *TransactionInformation
	Result
}

// GetTransactionsByBatchIDRequest lists a batch's transactions.
type GetTransactionsByBatchIDRequest struct {
	QueryAuthenticationKeys []string
	BatchID                 string `json:"BatchId"`
	TransactionStatuses     []TransactionStatus
	Authentication
}

// GetTransactionsByTypeRequest lists transactions of some types in a period.
type GetTransactionsByTypeRequest struct {
	Types                   []TransactionType
	StartDate               Date
	EndDate                 Date
	QueryAuthenticationKeys []string
	TransactionStatuses     []TransactionStatus
	AfterTransactionID      *int64 `json:"AfterTransactionId"`
	Authentication
}

// GetTransactionsByCustomerAndClientRefDataRequest lists a customer's
// transactions, optionally filtered by reference data.
type GetTransactionsByCustomerAndClientRefDataRequest struct {
	CustomerID          string `json:"CustomerId"`
	StartDate           Date
	EndDate             Date
	TransactionTypes    []TransactionType
	TransactionStatuses []TransactionStatus
	ClientReferenceData *ClientReferenceData
	Limit               int
	Offset              int
	Authentication
}

// GetTransactionsResponse answers the list queries.
type GetTransactionsResponse struct {
	Transactions []TransactionInformation
	Result
}

// UpdateTransactionMetadataRequest replaces a transaction's reference data.
// TransactionId is an integer here, unlike everywhere else.
type UpdateTransactionMetadataRequest struct {
	TransactionID       int64 `json:"TransactionId"`
	ClientReferenceData *ClientReferenceData
	Authentication
}

// UpdateTransactionMetadataResponse is only a result.
type UpdateTransactionMetadataResponse struct {
	Result
}
