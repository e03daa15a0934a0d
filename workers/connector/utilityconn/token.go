package utilityconn

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/utility"
)

// Token is one issued token as the provider's answer gives it; a
// successful purchase result's Data is the JSON of []events.UtilityToken
// (Token.wire). Amounts are decimals in major
// units. Charges and slip lines belong to the whole purchase: they are on
// its first token only, so that nothing is counted twice. Nothing here is
// secret: the meter (and its track2 data) is not copied.
type Token struct {
	Token               string          `json:"token"`
	TokenType           string          `json:"token_type,omitempty"`
	Units               decimal.Decimal `json:"units"`
	ReceiptNumber       string          `json:"receipt_number,omitempty"`
	Amount              *TaxedAmount    `json:"amount,omitempty"`
	Tariff              []TariffStep    `json:"tariff,omitempty"`
	DebtRecoveryCharges []Charge        `json:"debt_recovery_charges,omitempty"`
	ServiceCharges      []Charge        `json:"service_charges,omitempty"`
	SlipLines           []string        `json:"slip_lines,omitempty"`
}

// TaxedAmount is an amount and the tax it includes.
type TaxedAmount struct {
	Amount   decimal.Decimal `json:"amount"`
	Tax      decimal.Decimal `json:"tax"`
	TaxType  string          `json:"tax_type,omitempty"`
	TaxRate  decimal.Decimal `json:"tax_rate"` // percent
	Currency string          `json:"currency"`
}

// TariffStep is units bought at a rate.
type TariffStep struct {
	Units decimal.Decimal `json:"units"`
	Rate  decimal.Decimal `json:"rate"`
}

// Charge is a debt recovery or service charge taken from the purchase.
type Charge struct {
	Description   string           `json:"description,omitempty"`
	Amount        *TaxedAmount     `json:"amount,omitempty"`
	Balance       *decimal.Decimal `json:"balance,omitempty"` // debt left after this charge
	ReceiptNumber string           `json:"receipt_number,omitempty"`
}

// tokensOf converts the provider's answer; currency is the purchase's,
// for amounts that name none.
func tokensOf(resp *utility.PurchaseResponse, currency string) ([]Token, error) {
	out := make([]Token, 0, len(resp.Tokens))
	for i, t := range resp.Tokens {
		tok, err := tokenOf(t, currency)
		if err != nil {
			return nil, fmt.Errorf("token %d: %w", i, err)
		}
		out = append(out, tok)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no token in the answer")
	}
	var err error
	if out[0].DebtRecoveryCharges, err = debtCharges(resp.DebtRecoveryCharges, currency); err != nil {
		return nil, err
	}
	if out[0].ServiceCharges, err = serviceCharges(resp.ServiceCharges, currency); err != nil {
		return nil, err
	}
	out[0].SlipLines = slipLines(resp.SlipData)
	return out, nil
}

// tokensJSON is the result Data of tokens: the wire contract's
// []events.UtilityToken, which the purchase lifecycle keeps and shows.
func tokensJSON(tokens []Token) json.RawMessage {
	out := make([]events.UtilityToken, 0, len(tokens))
	for _, tk := range tokens {
		out = append(out, tk.wire())
	}
	b, _ := json.Marshal(out) // strings: cannot fail
	return b
}

// wire is tk as the wire contract shows it: decimal strings in major units.
func (tk Token) wire() events.UtilityToken {
	w := events.UtilityToken{Token: tk.Token, TokenType: tk.TokenType, Units: tk.Units.String(),
		ReceiptNumber: tk.ReceiptNumber, SlipLines: tk.SlipLines}
	if a := tk.Amount; a != nil {
		w.Amount, w.Tax, w.TaxRate, w.Currency = events.FormatAmount(a.Amount, a.Currency), events.FormatAmount(a.Tax, a.Currency),
			a.TaxRate.String(), a.Currency
	}
	w.DebtCharges = wireCharges(tk.DebtRecoveryCharges)
	w.ServiceCharges = wireCharges(tk.ServiceCharges)
	return w
}

func wireCharges(cs []Charge) []events.UtilityCharge {
	var out []events.UtilityCharge
	for _, c := range cs {
		w := events.UtilityCharge{Description: c.Description, ReceiptNumber: c.ReceiptNumber}
		if a := c.Amount; a != nil {
			w.Amount, w.Tax, w.Currency = events.FormatAmount(a.Amount, a.Currency), events.FormatAmount(a.Tax, a.Currency), a.Currency
			if c.Balance != nil {
				w.Balance = events.FormatAmount(*c.Balance, a.Currency)
			}
		}
		out = append(out, w)
	}
	return out
}

func tokenOf(t utility.Token, currency string) (Token, error) {
	amt, err := taxedAmount(t.Amount, currency)
	if err != nil {
		return Token{}, err
	}
	tok := Token{Token: t.Token, TokenType: string(t.TokenType), Units: t.Units.Decimal,
		ReceiptNumber: t.ReceiptNum, Amount: amt}
	for _, s := range t.TariffCalc {
		tok.Tariff = append(tok.Tariff, TariffStep{Units: s.Units.Decimal, Rate: s.Rate.Decimal})
	}
	return tok, nil
}

// taxedAmount converts a TaxedAmount in minor units; nil stays nil.
func taxedAmount(a *utility.TaxedAmount, currency string) (*TaxedAmount, error) {
	if a == nil {
		return nil, nil
	}
	if a.Currency != "" {
		currency = a.Currency
	}
	amount, err := utility.ToMajor(a.Amount, currency)
	if err != nil {
		return nil, err
	}
	tax, err := utility.ToMajor(a.Tax, currency)
	if err != nil {
		return nil, err
	}
	return &TaxedAmount{Amount: amount, Tax: tax, TaxType: a.TaxType, TaxRate: a.TaxRate.Decimal, Currency: currency}, nil
}

func debtCharges(cs []utility.DebtRecoveryCharge, currency string) ([]Charge, error) {
	var out []Charge
	for _, c := range cs {
		amt, err := taxedAmount(c.Amount, currency)
		if err != nil {
			return nil, fmt.Errorf("debt recovery charge: %w", err)
		}
		ch := Charge{Description: c.Description, Amount: amt, ReceiptNumber: c.ReceiptNum}
		if c.Balance != nil {
			cur := currency
			if c.Balance.Currency != "" {
				cur = c.Balance.Currency
			}
			b, err := utility.ToMajor(c.Balance.Amount, cur)
			if err != nil {
				return nil, fmt.Errorf("debt balance: %w", err)
			}
			ch.Balance = &b
		}
		out = append(out, ch)
	}
	return out, nil
}

func serviceCharges(cs []utility.ServiceCharge, currency string) ([]Charge, error) {
	var out []Charge
	for _, c := range cs {
		amt, err := taxedAmount(c.Amount, currency)
		if err != nil {
			return nil, fmt.Errorf("service charge: %w", err)
		}
		out = append(out, Charge{Description: c.Description, Amount: amt})
	}
	return out, nil
}

// slipLines are the slip's printable lines: its texts and barcodes' data.
func slipLines(s *utility.SlipData) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, l := range s.MessageLines {
		switch {
		case l.Text != "":
			out = append(out, l.Text)
		case l.Barcode != nil && l.Barcode.Data != "":
			out = append(out, l.Barcode.Data)
		}
	}
	return out
}
