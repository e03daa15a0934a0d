package utilitysim

import "log/slog"

// Tender is a payment already collected at the point of sale.
type Tender struct {
	AccountType string       `json:"accountType,omitempty"` // DEFAULT, CHEQUE, SAVINGS, ...
	Amount      LedgerAmount `json:"amount"`
	CardNumber  string       `json:"cardNumber,omitempty"` // masked PAN only
	Reference   string       `json:"reference,omitempty"`
	TenderType  string       `json:"tenderType,omitempty"` // CASH, CARD, ...
}

// PaymentMethod is a payment still to be collected from a third party.
type PaymentMethod struct {
	Type      string        `json:"type,omitempty"` // AN_32_TOKEN, ...
	Name      string        `json:"name,omitempty"`
	Amount    *LedgerAmount `json:"amount,omitempty"`
	Issuer    *Institution  `json:"issuer,omitempty"`
	PIN       *PIN          `json:"pin,omitempty"`
	Proxy     string        `json:"proxy,omitempty"`
	ProxyType string        `json:"proxyType,omitempty"` // MSISDN, ...
}

// PIN is a payment method's PIN. Its value never appears in a log: it
// implements slog.LogValuer and fmt.Stringer with a redacted form.
type PIN struct {
	Type  string `json:"type"`          // CLEAR_PIN, ...
	Value string `json:"pin,omitempty"` // the clear PIN for CLEAR_PIN
}

// String hides the PIN.
func (p PIN) String() string { return p.Type + ":***" }

// LogValue hides the PIN.
func (p PIN) LogValue() slog.Value { return slog.StringValue(p.String()) }
