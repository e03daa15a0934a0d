package events

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/shopspring/decimal"
)

// PurchaseCreate is the command that buys prepaid utility tokens (contract
// §3 purchase).
const PurchaseCreate = "purchase.create"

// TypePurchase is the transaction type of a utility token purchase.
const TypePurchase = "purchase"

// A purchase's own statuses besides pending, declined and failed.
const (
	// StatusSubmitted: the purchase, with its id, is committed and its
	// first call is due or made.
	StatusSubmitted = "submitted"
	// StatusRetrying: an attempt's outcome is unknown (time-out, 5xx, lost
	// connection); the purchase is retried with the same id on a durable
	// back-off.
	StatusRetrying = "retrying"
	// StatusCompleted: the tokens are issued and kept.
	StatusCompleted = "completed"
)

// Utility types a purchase may be for.
var utilityTypes = map[string]bool{"electricity": true, "water": true, "gas": true}

// PurchaseCreateData is purchase.create's data. Meter is an object naming
// the meter by meter_id or by its track2 data (ParseMeter); tenders are the
// payments already taken at the point of sale, passed to the provider as
// given (a card tender carries a masked number only).
type PurchaseCreateData struct {
	Provider    string            `json:"provider,omitempty"` // "utility" (the default)
	Meter       json.RawMessage   `json:"meter"`
	Amount      string            `json:"amount"`
	Currency    string            `json:"currency"`
	UtilityType string            `json:"utility_type"`
	MSISDN      string            `json:"msisdn,omitempty"`
	Tenders     json.RawMessage   `json:"tenders,omitempty"`
	Reference   string            `json:"reference,omitempty"`
	Metadata    map[string]string `json:"metadata,omitempty"`
}

// UtilityMeter names a prepaid meter: by its id, or by the track2 data of
// its card. Track2 data is a secret: a purchase seals it and shows it
// masked (Masked).
type UtilityMeter struct {
	MeterID string `json:"meter_id,omitempty"`
	Track2  string `json:"track2,omitempty"`
}

var (
	meterIDRe = regexp.MustCompile(`^[A-Za-z0-9-]{1,32}$`)
	track2Re  = regexp.MustCompile(`^[0-9A-Za-z=;?]{1,40}$`)
	msisdnRe  = regexp.MustCompile(`^(\+?[1-9][0-9]{1,14}|0[0-9]{9})$`)
)

// Validate checks purchase.create (every error names its field) and
// returns the amount. An empty provider is set to utility.
func (d *PurchaseCreateData) Validate() (decimal.Decimal, error) {
	switch d.Provider {
	case "":
		d.Provider = ProviderUtility
	case ProviderUtility:
	default:
		return decimal.Zero, Invalid("data.provider", "a purchase's provider is %q, not %q", ProviderUtility, d.Provider)
	}
	if _, err := d.ParseMeter(); err != nil {
		return decimal.Zero, err
	}
	if _, err := ParseCurrency("data.currency", d.Currency); err != nil {
		return decimal.Zero, err
	}
	amt, err := ParseAmount("data.amount", d.Amount, d.Currency, false)
	if err != nil {
		return decimal.Zero, err
	}
	if err := d.validateRest(); err != nil {
		return decimal.Zero, err
	}
	return amt, ValidateMetadata(d.Metadata)
}

func (d *PurchaseCreateData) validateRest() error {
	switch {
	case d.UtilityType == "":
		return Invalid("data.utility_type", "is required: electricity, water or gas")
	case !utilityTypes[d.UtilityType]:
		return Invalid("data.utility_type", "must be electricity, water or gas")
	case d.MSISDN != "" && !msisdnRe.MatchString(d.MSISDN):
		return Invalid("data.msisdn", "must be a phone number such as +27821234567 or 0821234567")
	case d.Reference != "" && !referenceRe.MatchString(d.Reference):
		return Invalid("data.reference", "must be 1-64 characters of A-Z a-z 0-9 . _ : / -")
	}
	return validateTenders(d.Tenders)
}

// ParseMeter reads and checks the meter: exactly one of meter_id and
// track2. An error never repeats the track2 data.
func (d *PurchaseCreateData) ParseMeter() (UtilityMeter, error) {
	var m UtilityMeter
	if len(d.Meter) == 0 || string(d.Meter) == "null" {
		return m, Invalid("data.meter", "is required: {\"meter_id\": ...} or {\"track2\": ...}")
	}
	if err := DecodeAt("data.meter", d.Meter, &m); err != nil {
		return m, err
	}
	switch {
	case m.MeterID == "" && m.Track2 == "":
		return m, Invalid("data.meter", "needs meter_id or track2")
	case m.MeterID != "" && m.Track2 != "":
		return m, Invalid("data.meter", "give meter_id or track2, not both")
	case m.MeterID != "" && !meterIDRe.MatchString(m.MeterID):
		return m, Invalid("data.meter.meter_id", "must be 1-32 letters, digits or dashes")
	case m.Track2 != "" && !track2Re.MatchString(m.Track2):
		return m, Invalid("data.meter.track2", "must be 1-40 characters of track 2 data (digits, letters, = ; ?)")
	}
	return m, nil
}

// Masked is the meter as a resource shows it: its id, or its track2 data
// reduced to its last four characters.
func (m UtilityMeter) Masked() UtilityMeter {
	if m.Track2 == "" {
		return UtilityMeter{MeterID: m.MeterID}
	}
	if len(m.Track2) < 8 {
		return UtilityMeter{Track2: "****"}
	}
	return UtilityMeter{Track2: "****" + m.Track2[len(m.Track2)-4:]}
}

// validateTenders checks that tenders, when given, is a list of objects
// and that no tender carries a card number in clear.
func validateTenders(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return Invalid("data.tenders", "must be a list of tender objects")
	}
	for i, t := range list {
		field := fmt.Sprintf("data.tenders[%d]", i)
		var m map[string]any
		if err := json.Unmarshal(t, &m); err != nil || m == nil {
			return Invalid(field, "must be a JSON object")
		}
		for _, k := range cardNumberKeys {
			if s, ok := m[k].(string); ok && clearCardNumber(s) {
				return Invalid(field+"."+k, "must be masked (such as 411111******1111), never a full card number")
			}
		}
	}
	return nil
}

// clearCardNumber reports whether s looks like a full card number: 12 or
// more digits and nothing else.
func clearCardNumber(s string) bool { return len(s) >= 12 && digitsRe.MatchString(s) }

// UtilityToken is one token a purchase issued, as the transaction keeps and
// shows it (data.transaction.tokens of purchase.completed). Amounts are
// decimal strings in major units; tokens are not secrets.
type UtilityToken struct {
	Token          string          `json:"token"`
	TokenType      string          `json:"token_type,omitempty"` // STD, BSST, KCT
	Units          string          `json:"units"`
	ReceiptNumber  string          `json:"receipt_number,omitempty"`
	Amount         string          `json:"amount,omitempty"`
	Tax            string          `json:"tax,omitempty"`
	TaxRate        string          `json:"tax_rate,omitempty"` // percent
	Currency       string          `json:"currency,omitempty"`
	DebtCharges    []UtilityCharge `json:"debt_charges,omitempty"`
	ServiceCharges []UtilityCharge `json:"service_charges,omitempty"`
	SlipLines      []string        `json:"slip_lines,omitempty"`
}

// UtilityCharge is a debt recovery or service charge taken from a purchase.
type UtilityCharge struct {
	Description   string `json:"description,omitempty"`
	Amount        string `json:"amount,omitempty"`
	Tax           string `json:"tax,omitempty"`
	Currency      string `json:"currency,omitempty"`
	Balance       string `json:"balance,omitempty"` // a debt's balance left
	ReceiptNumber string `json:"receipt_number,omitempty"`
}

// PurchaseAdvice is a dual-message purchase's advice to the provider as the
// transaction shows it: a confirmation after the tokens, or a reversal of a
// purchase that ended without them, sent store-and-forward until the
// provider accepts (delivered) or refuses (declined, with its code) it.
type PurchaseAdvice struct {
	Op       string `json:"op"`     // confirm | reverse
	Status   string `json:"status"` // pending | retrying | delivered | declined
	Attempts int    `json:"attempts"`
	Code     string `json:"code,omitempty"`
}

// Bounds of the token data a purchase keeps: it comes from the provider,
// and every purchase.completed event carries it (see bound.go).
const (
	MaxTokens         = 8
	MaxSlipLines      = 32
	MaxSlipLineLength = 80
	MaxCharges        = 4  // debt charges, and service charges, per token
	MaxTokenField     = 64 // every other string
)

// BoundTokens returns a copy of ts within the bounds above: at most
// MaxTokens tokens, each string cut (Truncate), lists shortened. Real
// token data is far inside them; a provider's runaway answer cannot make
// an event larger than NATS carries.
func BoundTokens(ts []UtilityToken) []UtilityToken {
	out := make([]UtilityToken, 0, min(len(ts), MaxTokens))
	for _, t := range ts[:min(len(ts), MaxTokens)] {
		f := func(s string) string { return Truncate(s, MaxTokenField) }
		b := UtilityToken{Token: f(t.Token), TokenType: f(t.TokenType), Units: f(t.Units), ReceiptNumber: f(t.ReceiptNumber),
			Amount: f(t.Amount), Tax: f(t.Tax), TaxRate: f(t.TaxRate), Currency: f(t.Currency),
			DebtCharges: boundCharges(t.DebtCharges), ServiceCharges: boundCharges(t.ServiceCharges)}
		for _, l := range t.SlipLines[:min(len(t.SlipLines), MaxSlipLines)] {
			b.SlipLines = append(b.SlipLines, Truncate(l, MaxSlipLineLength))
		}
		out = append(out, b)
	}
	return out
}

func boundCharges(cs []UtilityCharge) []UtilityCharge {
	var out []UtilityCharge
	f := func(s string) string { return Truncate(s, MaxTokenField) }
	for _, c := range cs[:min(len(cs), MaxCharges)] {
		out = append(out, UtilityCharge{Description: f(c.Description), Amount: f(c.Amount), Tax: f(c.Tax), Currency: f(c.Currency),
			Balance: f(c.Balance), ReceiptNumber: f(c.ReceiptNumber)})
	}
	return out
}
