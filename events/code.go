package events

import "time"

// STUB (helper "codeconn"): the declarations of the shared design for issue
// 12, so that the codes connector compiles; the lead replaces this file
// with helper "codelife"'s at merge.

const (
	CodeCreate    = "code.create"
	CodeUpdate    = "code.update"
	CodeSetAmount = "code.set_amount"
	CodeBlock     = "code.block"
	CodeUnblock   = "code.unblock"
	CodeDelete    = "code.delete"
	PaymentRecord = "payment.record"
)

const (
	TypeCode    = "code"
	TypePayment = "payment"
)

const (
	StatusActive      = "active"
	StatusBlocked     = "blocked"
	StatusUsed        = "used"
	StatusDeleted     = "deleted"
	StatusUnexpected  = "unexpected"
	StatusUnconfirmed = "unconfirmed"
)

const (
	EventPaid              = "paid"
	EventPaymentUnexpected = "payment_unexpected"
)

type CodeBasketItem struct {
	Destination string `json:"destination"`
	ItemType    string `json:"item_type"`
	Amount      string `json:"amount"`
}

type CodeCreateData struct {
	Provider              string            `json:"provider,omitempty"`
	Amount                string            `json:"amount"`
	Currency              string            `json:"currency"`
	Reference             string            `json:"reference"`
	ShortDescription      string            `json:"short_description"`
	ExpiresAt             string            `json:"expires_at,omitempty"`
	UseOnce               *bool             `json:"use_once,omitempty"`
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

type CodeUpdateData struct {
	TransactionID    string            `json:"transaction_id"`
	ShortDescription *string           `json:"short_description,omitempty"`
	ExpiresAt        *string           `json:"expires_at,omitempty"`
	UseOnce          *bool             `json:"use_once,omitempty"`
	ProductURL       *string           `json:"product_url,omitempty"`
	LimitBasket      *[]CodeBasketItem `json:"limit_basket,omitempty"`
	Metadata         map[string]string `json:"metadata,omitempty"`
}

type CodeAmountData struct {
	TransactionID string `json:"transaction_id"`
	Amount        string `json:"amount"`
	ExpiresAt     string `json:"expires_at,omitempty"`
}

type CodeActionData struct {
	TransactionID string `json:"transaction_id"`
}

type CodePaymentData struct {
	Code              string    `json:"code"`
	MerchantReference string    `json:"merchant_reference"`
	ProviderPaymentID string    `json:"provider_payment_id"`
	Amount            string    `json:"amount"`
	Tip               string    `json:"tip"`
	Currency          string    `json:"currency"`
	PayerReference    string    `json:"payer_reference"`
	PaidAt            time.Time `json:"paid_at"`
	CodeStatus        string    `json:"code_status,omitempty"`
}
