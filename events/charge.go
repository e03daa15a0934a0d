package events

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
)

// ChargeCreate is the data of charge.create.
type ChargeCreateData struct {
	Provider      string          `json:"provider"`
	Amount        string          `json:"amount"`
	Currency      string          `json:"currency"`
	Reference     string          `json:"reference"`
	PaymentMethod json.RawMessage `json:"payment_method,omitempty"`
	CustomerID    string          `json:"customer_id,omitempty"`
	Device        json.RawMessage `json:"device,omitempty"`
	App           json.RawMessage `json:"app,omitempty"`
	// Save asks a provider that keeps payment methods (ProcessOne) to save
	// the card or account; the charge then shows our pm_ id for it.
	Save     bool              `json:"save,omitempty"`
	Metadata map[string]string `json:"metadata,omitempty"`
}

// ChargeConfirmData is the data of charge.confirm.
type ChargeConfirmData struct {
	TransactionID     string            `json:"transaction_id"`
	PaymentMethodInfo json.RawMessage   `json:"payment_method_info,omitempty"`
	Metadata          map[string]string `json:"metadata,omitempty"`
}

// ChargeRejectData is the data of charge.reject: by transaction_id or by reference.
type ChargeRejectData struct {
	TransactionID string            `json:"transaction_id,omitempty"`
	Reference     string            `json:"reference,omitempty"`
	Metadata      map[string]string `json:"metadata,omitempty"`
}

var referenceRe = regexp.MustCompile(`^[A-Za-z0-9._:/-]{1,64}$`)

// Decode unmarshals a command's data strictly: unknown fields are errors, so
// a misspelt field is named rather than silently ignored.
func Decode(data json.RawMessage, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError("data", err)
	}
	return nil
}

// DecodeAt unmarshals the object at field (a command's nested object, a
// merchant's settings) strictly, naming bad fields under field.
func DecodeAt(field string, data json.RawMessage, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(field, err)
	}
	return nil
}

func decodeError(prefix string, err error) error {
	var te *json.UnmarshalTypeError
	if ok := asTypeError(err, &te); ok {
		field := prefix
		if te.Field != "" {
			field += "." + te.Field
		}
		return Invalid(field, "must be a JSON %s", te.Type.Kind())
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return Invalid(prefix+"."+strings.Trim(f, `"`), "unknown field")
	}
	return Invalid(prefix, "malformed: %v", err)
}

func asTypeError(err error, te **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*te = t
	}
	return ok
}

// ValidateMetadata checks the metadata bounds of the contract.
func ValidateMetadata(m map[string]string) error {
	if len(m) > MaxMetadataKeys {
		return Invalid("data.metadata", "more than %d keys", MaxMetadataKeys)
	}
	for k, v := range m {
		if k == "" || len(k) > 40 {
			return Invalid("data.metadata", "keys must be 1-40 characters")
		}
		if len(v) > 500 {
			return Invalid("data.metadata."+k, "longer than 500 characters")
		}
	}
	return nil
}

// Validate checks charge.create and returns the parsed amount.
func (d *ChargeCreateData) Validate() (decimal.Decimal, error) {
	switch d.Provider {
	case "":
		return decimal.Zero, Invalid("data.provider", "is required")
	case ProviderOnoConnect, ProviderProcessOne:
	default:
		return decimal.Zero, Invalid("data.provider", "unknown provider %q for a charge", d.Provider)
	}
	if _, err := ParseCurrency("data.currency", d.Currency); err != nil {
		return decimal.Zero, err
	}
	amt, err := ParseAmount("data.amount", d.Amount, d.Currency, false)
	if err != nil {
		return decimal.Zero, err
	}
	if d.Reference == "" {
		return decimal.Zero, Invalid("data.reference", "is required")
	}
	if !referenceRe.MatchString(d.Reference) {
		return decimal.Zero, Invalid("data.reference", "must be 1-64 characters of A-Z a-z 0-9 . _ : / -")
	}
	if len(d.PaymentMethod) == 0 {
		return decimal.Zero, Invalid("data.payment_method", "is required")
	}
	if err := validateObject("data.payment_method", d.PaymentMethod); err != nil {
		return decimal.Zero, err
	}
	if err := validateCard("data.payment_method", d.PaymentMethod); err != nil {
		return decimal.Zero, err
	}
	return amt, ValidateMetadata(d.Metadata)
}

func validateObject(field string, raw json.RawMessage) error {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return Invalid(field, "must be a JSON object")
	}
	return nil
}

// Validate checks charge.confirm.
func (d *ChargeConfirmData) Validate() error {
	if d.TransactionID == "" {
		return Invalid("data.transaction_id", "is required")
	}
	if !isUUID(d.TransactionID) {
		return Invalid("data.transaction_id", "must be a UUID")
	}
	return ValidateMetadata(d.Metadata)
}

// Validate checks charge.reject.
func (d *ChargeRejectData) Validate() error {
	switch {
	case d.TransactionID == "" && d.Reference == "":
		return Invalid("data.transaction_id", "transaction_id or reference is required")
	case d.TransactionID != "" && d.Reference != "":
		return Invalid("data.reference", "give transaction_id or reference, not both")
	case d.TransactionID != "" && !isUUID(d.TransactionID):
		return Invalid("data.transaction_id", "must be a UUID")
	}
	return ValidateMetadata(d.Metadata)
}

var uuidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func isUUID(s string) bool { return uuidRe.MatchString(s) }

// String is for logs: it names the command without its data.
func (c *Command) String() string { return fmt.Sprintf("%s %s", c.Type, c.ID) }
