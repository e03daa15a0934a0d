package events

import (
	"time"
)

// Payment-code commands (contract §3 code). payment.record is internal: it
// is made from a verified provider callback, never taken from a merchant.
const (
	CodeCreate    = "code.create"
	CodeUpdate    = "code.update"
	CodeSetAmount = "code.set_amount"
	CodeBlock     = "code.block"
	CodeUnblock   = "code.unblock"
	CodeDelete    = "code.delete"
	PaymentRecord = "payment.record"
)

// Transaction types of payment codes and the payments made on them.
const (
	TypeCode    = "code"
	TypePayment = "payment"
)

// Statuses of a code and of a payment on one (expired, failed, pending and
// succeeded are shared with other lifecycles).
const (
	StatusActive      = "active"
	StatusBlocked     = "blocked"
	StatusUsed        = "used"
	StatusDeleted     = "deleted"
	StatusUnexpected  = "unexpected"
	StatusUnconfirmed = "unconfirmed"
)

// Kinds of a code's events that are not status changes: "code.paid" and
// "code.payment_unexpected".
const (
	EventPaid              = "paid"
	EventPaymentUnexpected = "payment_unexpected"
)

// CodeBasketItem is one item of a code's limit basket: an airtime top-up
// of Amount for Destination (an msisdn).
type CodeBasketItem struct {
	Destination string `json:"destination"`
	ItemType    string `json:"item_type"`
	Amount      string `json:"amount"`
}

// CodeCreateData is code.create's data.
type CodeCreateData struct {
	Provider              string            `json:"provider,omitempty"` // "codes" (the default)
	Amount                string            `json:"amount"`             // "0": variable amount
	Currency              string            `json:"currency"`
	Reference             string            `json:"reference"`
	ShortDescription      string            `json:"short_description"`
	ExpiresAt             string            `json:"expires_at,omitempty"` // RFC 3339, or "never"; default 30 minutes from creation
	UseOnce               *bool             `json:"use_once,omitempty"`   // default true
	LimitBasket           []CodeBasketItem  `json:"limit_basket,omitempty"`
	RequestPartialPayment bool              `json:"request_partial_payment,omitempty"`
	RequestTip            bool              `json:"request_tip,omitempty"`
	SubMerchantName       string            `json:"sub_merchant_name,omitempty"`
	TerminalID            string            `json:"terminal_id,omitempty"`
	SMSNotify             []string          `json:"sms_notify,omitempty"`
	EmailNotify           []string          `json:"email_notify,omitempty"`
	RRN2                  string            `json:"rrn2,omitempty"`
	Metadata              map[string]string `json:"metadata,omitempty"`
}

// CodeUpdateData is code.update's data: a field left out keeps its value.
type CodeUpdateData struct {
	TransactionID    string            `json:"transaction_id"`
	ShortDescription *string           `json:"short_description,omitempty"`
	ExpiresAt        *string           `json:"expires_at,omitempty"`
	UseOnce          *bool             `json:"use_once,omitempty"`
	ProductURL       *string           `json:"product_url,omitempty"`
	LimitBasket      *[]CodeBasketItem `json:"limit_basket,omitempty"`
	Metadata         map[string]string `json:"metadata,omitempty"`
}

// CodeAmountData is code.set_amount's data.
type CodeAmountData struct {
	TransactionID string `json:"transaction_id"`
	Amount        string `json:"amount"`
	ExpiresAt     string `json:"expires_at,omitempty"`
}

// CodeActionData is code.block's, code.unblock's and code.delete's data.
type CodeActionData struct {
	TransactionID string `json:"transaction_id"`
}

// CodePaymentData is payment.record's data, built from a verified provider
// callback. Nothing in it is secret.
type CodePaymentData struct {
	Code              string    `json:"code"`
	MerchantReference string    `json:"merchant_reference"`
	ProviderPaymentID string    `json:"provider_payment_id"`
	Amount            string    `json:"amount"` // paid, without the tip
	Tip               string    `json:"tip"`
	Currency          string    `json:"currency"`
	PayerReference    string    `json:"payer_reference"` // the provider's rrn
	PaidAt            time.Time `json:"paid_at"`
	CodeStatus        string    `json:"code_status,omitempty"` // what the callback says the code became (USED)
}

// Reason codes of payments on codes.
const (
	// ReasonPaymentUnexpected: a payment on a code that is not active (or
	// on no known code); recorded and flagged, never silently accepted.
	ReasonPaymentUnexpected = "payment_unexpected"
	// ReasonNotConfirmed: the provider's own record of the code does not
	// confirm the payment its callback reported.
	ReasonNotConfirmed = "not_confirmed"
)

// ExpiresNever is expires_at's value for a code that never expires.
const ExpiresNever = "never"
