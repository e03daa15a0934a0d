package onepipesim

// The simulator's own copy of the OnePipe wire format (this file and
// status.go). It does not share these types with the client
// (workers/onepipe) on purpose: a client whose JSON drifts from the API then
// fails its tests against the simulator instead of drifting with it.

import "encoding/json"

// Paths of the OnePipe API, relative to the base URL.
const (
	PathTransact = "/v2/transact"
	PathValidate = "/v2/transact/validate"
	PathQuery    = "/v2/transact/query"
	PathReverse  = "/v2/transact/reverse"
	PathOptions  = "/v2/transact/options"
)

// Values of request_type.
const (
	RequestCollect   = "collect"
	RequestHoldFunds = "hold_funds"
)

// Values of auth.type this service accepts.
const (
	AuthCard          = "card"
	AuthBankAccount   = "bank.account"
	AuthWallet        = "wallet"
	AuthProviderToken = "provider_token"
)

// Request is the body of every /v2/transact* call, with OnePipe's own field
// names.
type Request struct {
	RequestRef  string      `json:"request_ref"`
	RequestType string      `json:"request_type"`
	Auth        Auth        `json:"auth"`
	Transaction Transaction `json:"transaction"`
}

// Auth carries how the customer is debited. Secure is always the
// TripleDES-encrypted value (see EncryptSecure), never plain.
type Auth struct {
	Type         string `json:"type,omitempty"`
	Secure       string `json:"secure,omitempty"`
	AuthProvider string `json:"auth_provider,omitempty"`
	RouteMode    string `json:"route_mode,omitempty"`
}

// Transaction is the transaction object. Amount is in minor units (kobo).
type Transaction struct {
	MockMode             string            `json:"mock_mode,omitempty"`
	TransactionRef       string            `json:"transaction_ref"`
	TransactionDesc      string            `json:"transaction_desc,omitempty"`
	TransactionRefParent string            `json:"transaction_ref_parent,omitempty"`
	Amount               int64             `json:"amount,omitempty"`
	Customer             *Customer         `json:"customer,omitempty"`
	Meta                 map[string]string `json:"meta,omitempty"`
	// Details is always null for this service.
	Details json.RawMessage `json:"details"`
}

// Customer is the payer.
type Customer struct {
	CustomerRef string `json:"customer_ref,omitempty"`
	Firstname   string `json:"firstname,omitempty"`
	Surname     string `json:"surname,omitempty"`
	Email       string `json:"email,omitempty"`
	MobileNo    string `json:"mobile_no,omitempty"`
}

// Response is OnePipe's answer envelope.
type Response struct {
	Status  string       `json:"status"`
	Message string       `json:"message"`
	Data    ResponseData `json:"data"`
}

// ResponseData is the data object of a Response.
type ResponseData struct {
	ProviderResponseCode string            `json:"provider_response_code"`
	Provider             string            `json:"provider"`
	Errors               []ErrorItem       `json:"errors"`
	Error                *ErrorItem        `json:"error"`
	ProviderResponse     *ProviderResponse `json:"provider_response"`
}

// ErrorItem is one entry of data.errors / data.error.
type ErrorItem struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// ProviderResponse is data.provider_response. Dates use ExpiryLayout.
// TransactionStatus, Amount and Options are filled by query, query and
// options respectively.
type ProviderResponse struct {
	Reference         string            `json:"reference,omitempty"`
	ProviderToken     string            `json:"provider_token,omitempty"`
	TokenExpiry       string            `json:"token_expiry,omitempty"`
	HoldExpiry        string            `json:"hold_expiry,omitempty"`
	TransactionStatus string            `json:"transaction_status,omitempty"`
	Amount            int64             `json:"amount,omitempty"`
	Options           []string          `json:"options,omitempty"`
	Meta              map[string]string `json:"meta,omitempty"`
}

// ExpiryLayout is the Go layout of the seed's "yyyy-MM-dd-hh-mm-ss"
// (24-hour clock, UTC).
const ExpiryLayout = "2006-01-02-15-04-05"
