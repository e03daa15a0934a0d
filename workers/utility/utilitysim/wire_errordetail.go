package utilitysim

// The simulator's own copy of the utility provider's wire format (this file
// and the other wire_*.go). It does not share these types with the client
// (workers/utility) on purpose: a client whose JSON drifts from the API then
// fails its tests against the simulator instead of drifting with it.

import (
	"encoding/json"
	"time"
)

// ErrorDetail is the body of every non-2xx answer. ErrorType is the code a
// decline carries.
type ErrorDetail struct {
	ErrorType     string          `json:"errorType"`
	ErrorMessage  string          `json:"errorMessage,omitempty"`
	ID            string          `json:"id,omitempty"`
	OriginalID    string          `json:"originalId,omitempty"`
	DetailMessage json.RawMessage `json:"detailMessage,omitempty"`
}

// Error types (codes) the provider answers with.
const (
	ErrFormat          = "FORMAT_ERROR"            // 400: the request is malformed or misses a required field
	ErrDuplicate       = "DUPLICATE_RECORD"        // 400: a purchase with this id exists; use /retry
	ErrNotFound        = "UNABLE_TO_LOCATE_RECORD" // 404: the purchase is not known
	ErrMeterBlocked    = "METER_BLOCKED"           // 400: the meter may not be vended to
	ErrUnknownMeter    = "UNKNOWN_METER"           // 400: no such meter
	ErrAmountTooSmall  = "AMOUNT_TOO_SMALL"        // 400: below the minimum purchase for the meter
	ErrAmountTooLarge  = "AMOUNT_TOO_LARGE"        // 400: above the maximum purchase
	ErrReversed        = "PURCHASE_REVERSED"       // 400: the purchase id was reversed
	ErrInvalidAdvice   = "INVALID_ADVICE"          // 400: advice conflicts with the purchase's state
	ErrAuth            = "AUTHENTICATION_ERROR"    // 401: missing or wrong credentials
	ErrUnavailable     = "UPSTREAM_UNAVAILABLE"    // 503: the utility's vending system is down
	ErrUpstreamTimeout = "UPSTREAM_TIMEOUT"        // 504: the utility did not answer in time
)

// Credential headers of every call.
const (
	headerClientID = "X-Client-Id"
	headerAPIKey   = "X-Api-Key"
)

// millisecond is the precision of the times the API carries.
const millisecond = time.Millisecond
