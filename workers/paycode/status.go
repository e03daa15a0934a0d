package paycode

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/switchyard/switchyard/workers/provider"
)

// The provider's own HTTP statuses (seed: "Errors" tables).
const (
	StatusBadRequest     = 400 // missing parameter or not valid JSON
	StatusForbidden      = 403 // invalid merchant login details or merchant suspended
	StatusCodeNotFound   = 431 // the code does not exist
	StatusInvalidCode    = 439 // the code is not a valid code
	StatusValidation     = 440 // validation error
	StatusSystemError    = 500 // general system error
	StatusSystemError512 = 512 // general system error
	StatusNotOwner       = 513 // the code does not belong to the merchant
)

// statusError classifies a non-200 answer. The provider's rejections (400,
// 431, 439, 440, 513) are KindDeclined with the status as Code; 403 (login or
// suspension) and the general system errors 500 and 512 are KindFailed; 502,
// 503 and 504 are KindUnknown (provider.Caller.StatusError).
func (c *Client) statusError(op string, r *provider.Response) error {
	code := strconv.Itoa(r.Status)
	msg := errorMessage(r.Body)
	switch r.Status {
	case StatusBadRequest, StatusCodeNotFound, StatusInvalidCode, StatusValidation, StatusNotOwner:
		return &provider.Error{Kind: provider.KindDeclined, Provider: ProviderName, Op: op, Status: r.Status, Code: code, Message: msg}
	case StatusForbidden, StatusSystemError, StatusSystemError512:
		return &provider.Error{Kind: provider.KindFailed, Provider: ProviderName, Op: op, Status: r.Status, Code: code, Message: msg}
	}
	return c.caller.StatusError(op, r, code, msg)
}

// errorMessage reads the message of an error body ({"message"} or {"error"}),
// or the status text.
func errorMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
		Error   string `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil {
		if e.Message != "" {
			return e.Message
		}
		if e.Error != "" {
			return e.Error
		}
	}
	return ""
}

// StatusText is the seed's meaning of a provider status.
func StatusText(status int) string {
	switch status {
	case StatusBadRequest:
		return "Missing parameter or not valid JSON."
	case StatusForbidden:
		return "Invalid merchant login details or merchant suspended."
	case StatusCodeNotFound:
		return "The code does not exist."
	case StatusInvalidCode:
		return "The code is not valid code."
	case StatusValidation:
		return "Validation error."
	case StatusSystemError, StatusSystemError512:
		return "General system error."
	case StatusNotOwner:
		return "The code does not belong to the merchant."
	}
	return http.StatusText(status)
}
