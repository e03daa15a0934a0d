package onoconnectsim

import "encoding/json"

// The simulator's own view of the ono//connect wire format. It does not
// share these types with the client (workers/onoconnect) on purpose: a
// client whose JSON drifts from the API then fails its tests against the
// simulator instead of drifting with it.

// chargeReply is the 200 answer of POST /v2/charges.
type chargeReply struct {
	TransactionID       string          `json:"transactionId"`
	ChargeResult        string          `json:"chargeResult"`
	ChargeResultMessage string          `json:"chargeResultMessage"`
	IsoResponseCode     string          `json:"isoResponseCode"`
	PaymentInfo         json.RawMessage `json:"paymentInfo,omitempty"`
}

// finalizeRequest is the body of the confirm and reject calls.
type finalizeRequest struct {
	TransactionID       string          `json:"transactionId,omitempty"`
	ClientTransactionID string          `json:"clientTransactionId,omitempty"`
	PaymentMethodInfo   json.RawMessage `json:"paymentMethodInfo,omitempty"`
}

// errorBody is the error payload of every non-200 answer.
type errorBody struct {
	Error   string `json:"error,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

const (
	isoApproved    = "00"
	resultApproved = "approved"
	resultDeclined = "declined"
	headerMerchant = "X-MerchantId"
	headerToken    = "X-TransactionToken"
	codeNotFound   = "not_found"
	pathCharges    = "/v2/charges"
)
