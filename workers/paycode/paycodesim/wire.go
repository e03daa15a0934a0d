package paycodesim

import (
	"encoding/json"
	"net/http"

	"github.com/shopspring/decimal"
)

// The simulator's own view of the payment-code wire format. It does not share
// these types with the client (workers/paycode) on purpose: a client whose
// JSON drifts from the API then fails its tests against the simulator
// instead of drifting with it.

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

// statusText is the seed's meaning of a provider status.
func statusText(status int) string {
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

// Item types of a limitBasket entry.
const (
	ItemAirtime       = "AIRTIME"
	ItemAirtimeBundle = "AIRTIME_BUNDLE"
)

// BasketItem is one checked entry of a code's limitBasket.
type BasketItem struct {
	Destination string          `json:"destination"`
	ItemType    string          `json:"itemType"`
	Amount      decimal.Decimal `json:"amount"`
}

// flexString accepts a JSON string or number (the seed's sample shows the
// code unquoted although its type is String).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

// EventCodePaid is the type of a payment notification.
const EventCodePaid = "code.paid"

// Notification is the payment notification the simulator POSTs (JSON,
// Content-Type application/json) to the configured callback URL when a code
// is paid. The seed does not define one; this shape is the simulator's.
// Amounts are bare JSON numbers with two decimals.
type Notification struct {
	Type              string          `json:"type"` // EventCodePaid
	TransactionID     string          `json:"transactionId"`
	Code              string          `json:"code"`
	MerchantReference string          `json:"merchantReference"`
	MerchantName      string          `json:"merchantName"`
	Amount            decimal.Decimal `json:"amount"` // paid, without the tip
	Tip               decimal.Decimal `json:"tip"`
	Currency          string          `json:"currency"`
	UseOnce           bool            `json:"useOnce"`
	CodeStatus        string          `json:"codeStatus"` // after the payment: USED for a use-once code
	RRN               string          `json:"rrn"`
	RRN2              string          `json:"rrn2,omitempty"`
	SubMerchantName   string          `json:"subMerchantName,omitempty"`
	TerminalID        string          `json:"terminalId,omitempty"`
	PaidAt            int64           `json:"paidAt"` // epoch milliseconds
}

// MarshalJSON writes the amounts as bare numbers with two decimals.
func (n Notification) MarshalJSON() ([]byte, error) {
	type plain Notification
	return json.Marshal(struct {
		plain
		Amount json.Number `json:"amount"`
		Tip    json.Number `json:"tip"`
	}{plain(n), json.Number(n.Amount.StringFixed(2)), json.Number(n.Tip.StringFixed(2))})
}
