package processonesim

// SaveCreditCardRequest tokenizes a card (api/CreditCard/Save).
type SaveCreditCardRequest struct {
	CreditCard          *CreditCardDetails
	CallbackID          *string `json:"CallbackId"`
	ClientReferenceData *ClientReferenceData
	CustomerID          *string `json:"CustomerId"`
	Authentication
}

// SaveCreditCardResponse carries the new token.
type SaveCreditCardResponse struct {
	Token             string
	TokenCreationTime Date
	TimeZone          string
	BaseCardType      CreditCardType
	Result
}

// UpdateCreditCardRequest changes a saved card (api/CreditCard/Update).
type UpdateCreditCardRequest struct {
	Token                 string
	ExpirationYear        int
	ExpirationMonth       int
	ZipCode               *string
	CreditCardNetworkType CreditCardNetworkType
	HolderAddress         *string
	Authentication
}

// UpdateCreditCardResponse says when the update happened.
type UpdateCreditCardResponse struct {
	TimeZone   *string
	UpdateTime Date
	Result
}

// ChargeCreditCardRequest charges a card or a token (api/CreditCard/Charge).
// If both are sent the token is used. ChargeFee defaults to true when nil.
type ChargeCreditCardRequest struct {
	Amount              Amount
	ChargeFee           *bool
	Token               *string
	CreditCard          *CreditCardDetails
	ClientReferenceData *ClientReferenceData
	IsRecurring         bool
	AccountGroupCode    *string
	CallbackID          *string `json:"CallbackId"`
	Save                bool
	ConvenienceFeeType  *string
	CustomerID          *string `json:"CustomerId"`
	Authentication
}

// ChargeCreditCardResponse is the charge result.
type ChargeCreditCardResponse struct {
	Token             *string
	TransactionID     *string `json:"TransactionId"`
	TransactionDate   Date
	TimeZone          string
	AuthorizationCode *string
	BatchNumber       int
	CreditCardType    CreditCardType
	HolderName        string
	HolderZip         string
	BaseCardType      CreditCardType
	Result
}

// VoidCreditCardRequest voids a charge whose batch is still open.
type VoidCreditCardRequest struct {
	TransactionID string  `json:"TransactionId"`
	CallbackID    *string `json:"CallbackId"`
	Authentication
}

// VoidCreditCardResponse carries the id of the void transaction.
type VoidCreditCardResponse struct {
	TransactionID     *string `json:"TransactionId"`
	AuthorizationCode *string
	BatchNumber       int
	Result
}

// RefundCreditCardRequest refunds a settled charge, all of what is left when
// PartialRefundAmount is nil.
type RefundCreditCardRequest struct {
	TransactionID       string  `json:"TransactionId"`
	CallbackID          *string `json:"CallbackId"`
	PartialRefundAmount *Amount
	Authentication
}

// RefundCreditCardResponse carries the id of the refund transaction.
type RefundCreditCardResponse struct {
	TransactionID     *string `json:"TransactionId"`
	AuthorizationCode *string
	BatchNumber       int
	Result
}

// VerifyCreditCardRequest checks that a card is valid.
type VerifyCreditCardRequest struct {
	CreditCard          *CreditCardDetails
	CallbackID          *string `json:"CallbackId"`
	ClientReferenceData *ClientReferenceData
	CustomerID          *string `json:"CustomerId"`
	Authentication
}

// VerifyCreditCardResponse is only a result.
type VerifyCreditCardResponse struct {
	Result
}

// GetCardDataRequest asks what kind of card a number is.
type GetCardDataRequest struct {
	CreditCardNumber string
	Authentication
}

// GetCardDataResponse is the brand and debit/credit kind.
type GetCardDataResponse struct {
	BaseCardType          CreditCardType
	CreditCardNetworkType CreditCardNetworkType
	Result
}

// GetAcceptedCardTypesRequest asks which brands the merchant accepts.
type GetAcceptedCardTypesRequest struct {
	Authentication
}

// GetAcceptedCardTypesResponse lists the accepted brands.
type GetAcceptedCardTypesResponse struct {
	AcceptedCardTypes []CreditCardType
	Result
}

// CheckHealthStatusRequest is api/HealthStatus/Check.
type CheckHealthStatusRequest struct {
	Authentication
}

// CheckHealthStatusResponse says whether the service is alive.
type CheckHealthStatusResponse struct {
	IsAlive bool
	Result
}
