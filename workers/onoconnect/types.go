package onoconnect

import "encoding/json"

// Credentials identify the merchant to ono//connect. They travel as the
// X-MerchantId and X-TransactionToken headers of every call.
type Credentials struct {
	MerchantID       string
	TransactionToken string
}

// ChargeRequest is the body of POST /v2/charges.
type ChargeRequest struct {
	MerchantID          string            `json:"merchantId"`
	AmountInCents       int64             `json:"amountInCents"`
	Currency            string            `json:"currency"`
	ClientTransactionID string            `json:"clientTransactionId"`
	PaymentMethodInfo   json.RawMessage   `json:"paymentMethodInfo"`
	DeviceInfo          json.RawMessage   `json:"deviceInfo"`
	AppInfo             json.RawMessage   `json:"appInfo"`
	Metadata            map[string]string `json:"metadata,omitempty"`
}

// ChargeResponse is the 200 answer of POST /v2/charges. A 200 does not mean
// approved: IsoResponseCode "00" does.
type ChargeResponse struct {
	TransactionID       string          `json:"transactionId"`
	ChargeResult        string          `json:"chargeResult"`
	ChargeResultMessage string          `json:"chargeResultMessage"`
	IsoResponseCode     string          `json:"isoResponseCode"`
	PaymentInfo         json.RawMessage `json:"paymentInfo,omitempty"`
}

// Approved reports whether the issuer approved the charge (ISO code "00").
func (r *ChargeResponse) Approved() bool { return r != nil && r.IsoResponseCode == isoApproved }

// finalizeRequest is the body of the confirm and reject calls.
type finalizeRequest struct {
	TransactionID       string          `json:"transactionId,omitempty"`
	ClientTransactionID string          `json:"clientTransactionId,omitempty"`
	PaymentMethodInfo   json.RawMessage `json:"paymentMethodInfo,omitempty"`
}

// errorBody is the error payload the client reads (the seed shows none; real
// ono//connect bodies are read leniently).
type errorBody struct {
	Error   string `json:"error,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

const (
	isoApproved     = "00"
	resultApproved  = "approved"
	resultDeclined  = "declined"
	providerName    = "onoconnect"
	headerMerchant  = "X-MerchantId"
	headerToken     = "X-TransactionToken"
	codeNotFound    = "not_found"
	pathCharges     = "/v2/charges"
	pathByReference = "/v2/charges/byClientTransactionId/"
)
