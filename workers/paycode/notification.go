package paycode

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
)

// EventCodePaid is the type of a payment notification.
const EventCodePaid = "code.paid"

// Notification is the payment notification the simulator POSTs (JSON,
// Content-Type application/json) to the configured callback URL when a code
// is paid. The seed does not define one; this shape is the simulator's.
// Amounts are bare JSON numbers, like the seed's BigDecimals.
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

// ParseNotification reads a payment notification body.
func ParseNotification(b []byte) (*Notification, error) {
	var n Notification
	if err := json.Unmarshal(b, &n); err != nil {
		return nil, fmt.Errorf("paycode: notification: %w", err)
	}
	if n.Type != EventCodePaid || n.Code == "" {
		return nil, fmt.Errorf("paycode: notification: not a %s event", EventCodePaid)
	}
	return &n, nil
}
