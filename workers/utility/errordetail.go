package utility

import "encoding/json"

// ErrorDetail is the body of every non-2xx answer of the provider.
// ErrorType is the code a decline carries.
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
