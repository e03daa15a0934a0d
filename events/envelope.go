package events

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// SpecVersion is the CloudEvents version of every envelope.
const SpecVersion = "1.0"

// Source is the source of every event Switchyard emits.
const Source = "switchyard"

// MaxMetadataKeys bounds a command's metadata.
const MaxMetadataKeys = 50

// Command is a structured CloudEvents command envelope.
type Command struct {
	SpecVersion     string          `json:"specversion"`
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	DataContentType string          `json:"datacontenttype,omitempty"`
	Time            *time.Time      `json:"time,omitempty"`
	Data            json.RawMessage `json:"data"`
}

// Event is a structured CloudEvents event envelope.
type Event struct {
	SpecVersion     string    `json:"specversion"`
	ID              string    `json:"id"`
	Source          string    `json:"source"`
	Type            string    `json:"type"`
	Subject         string    `json:"subject,omitempty"`
	Time            time.Time `json:"time"`
	DataContentType string    `json:"datacontenttype"`
	MerchantID      string    `json:"merchantid"`
	Sequence        int       `json:"sequence,omitempty"`
	CausationID     string    `json:"causationid,omitempty"`
	// TraceParent is the CloudEvents distributed-tracing extension: the
	// W3C traceparent of the work that wrote the event (the command's, the
	// provider call's), so that a consumer continues its trace. It comes
	// before data, where tracing.FromEnvelope looks for it.
	TraceParent string    `json:"traceparent,omitempty"`
	Data        EventData `json:"data"`
}

// EventData is the data of every event.
type EventData struct {
	Transaction *Transaction `json:"transaction,omitempty"`
	Reason      *Reason      `json:"reason,omitempty"`
	CommandType string       `json:"command_type,omitempty"` // command.rejected only
	// Detail is what an event that is not a status change says (a code's
	// "code.paid": the payment), as its lifecycle writes it.
	Detail json.RawMessage `json:"detail,omitempty"`
}

// Reason says why a transaction is in its status or why a command was rejected.
type Reason struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
	Field   string `json:"field,omitempty"`
	// ProviderCode is the provider's own code (an ISO 8583 response code
	// for ono//connect), kept on declines and provider errors.
	ProviderCode string `json:"provider_code,omitempty"`
}

// Transaction is the transaction resource (§4 of the contract).
type Transaction struct {
	ID                string            `json:"id"`
	MerchantID        string            `json:"merchant_id"`
	Type              string            `json:"type"`
	Status            string            `json:"status"`
	Provider          string            `json:"provider"`
	Amount            string            `json:"amount"`
	Currency          string            `json:"currency"`
	Reference         string            `json:"reference,omitempty"`
	ParentID          string            `json:"parent_id,omitempty"`
	ProviderReference string            `json:"provider_reference,omitempty"`
	RefundedAmount    string            `json:"refunded_amount,omitempty"`
	Reason            *Reason           `json:"reason,omitempty"`
	Metadata          map[string]string `json:"metadata"`
	PaymentMethod     *PaymentMethod    `json:"payment_method,omitempty"`
	ConfirmBy         *time.Time        `json:"confirm_by,omitempty"`
	// Method is how a refund was (or is being) carried out: void or refund.
	Method string `json:"method,omitempty"`
	// A purchase's tokens (once completed), its meter (track2 masked) and
	// its dual-message advice.
	Tokens []UtilityToken  `json:"tokens,omitempty"`
	Meter  *UtilityMeter   `json:"meter,omitempty"`
	Advice *PurchaseAdvice `json:"advice,omitempty"`
	// When a consent's provider token expires (the token is never shown),
	// and when a hold lapses unless captured or released.
	TokenExpiresAt *time.Time `json:"token_expires_at,omitempty"`
	HoldExpiresAt  *time.Time `json:"hold_expires_at,omitempty"`
	// A payment code's number (the provider's, shown once it is made; a
	// payment shows the code it paid) and when the code expires (absent
	// for one that never does).
	Code      string     `json:"code,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	Version   int        `json:"version"`
}

// PaymentMethod is what a transaction may show of how it was paid: never a
// full card number, only its BIN and last four.
type PaymentMethod struct {
	Type  string `json:"type"`
	BIN   string `json:"bin,omitempty"`
	Last4 string `json:"last4,omitempty"`
	Brand string `json:"brand,omitempty"`
	// Card expiry and holder, and a bank account's type (ProcessOne).
	ExpiryMonth int    `json:"expiry_month,omitempty"`
	ExpiryYear  int    `json:"expiry_year,omitempty"`
	HolderName  string `json:"holder_name,omitempty"`
	AccountType string `json:"account_type,omitempty"`
	// ID is our id of a saved payment method (pm_…): set on the charge that
	// saved it (save: true) and on charges that used it.
	ID string `json:"id,omitempty"`
}

// ErrInvalid is the root of every validation error; use errors.As with
// *FieldError to learn the field.
var ErrInvalid = errors.New("invalid request")

// FieldError names the field of a command that failed validation.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// Invalid returns a *FieldError. Its field and message are bounded
// (MaxFieldLength, MaxMessageLength): both may quote a command's input.
func Invalid(field, format string, args ...any) error {
	return &FieldError{Field: Truncate(field, MaxFieldLength),
		Message: Truncate(fmt.Sprintf(format, args...), MaxMessageLength)}
}

// MaxIDLength bounds command ids (idempotency keys).
const MaxIDLength = 255

// ParseCommand decodes and validates a command envelope. The error, when not
// nil, is a *FieldError naming the offending envelope field.
func ParseCommand(b []byte) (*Command, error) {
	var c Command
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&c); err != nil {
		return nil, Invalid("envelope", "malformed JSON: %v", err)
	}
	if dec.More() {
		return nil, Invalid("envelope", "trailing data after the JSON object")
	}
	return &c, c.Validate()
}

// Validate checks the envelope fields, not the data.
func (c *Command) Validate() error {
	switch {
	case c.SpecVersion != SpecVersion:
		return Invalid("specversion", "must be %q", SpecVersion)
	case strings.TrimSpace(c.ID) == "":
		return Invalid("id", "is required")
	case len(c.ID) > MaxIDLength:
		return Invalid("id", "longer than %d characters", MaxIDLength)
	case c.Source == "":
		return Invalid("source", "is required")
	case c.Type == "":
		return Invalid("type", "is required")
	case c.DataContentType != "" && c.DataContentType != "application/json":
		return Invalid("datacontenttype", "must be application/json")
	case len(c.Data) == 0 || string(c.Data) == "null":
		return Invalid("data", "is required")
	}
	return nil
}

// DataHash is the SHA-256 of the command's data in canonical form (object
// keys sorted, no insignificant space, numbers kept as written), so that the
// same data sent twice with different formatting hashes the same.
func DataHash(data json.RawMessage) ([]byte, error) {
	c, err := Canonical(data)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(c)
	return h[:], nil
}

// Canonical re-encodes JSON with sorted keys.
func Canonical(data json.RawMessage) ([]byte, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, Invalid("data", "malformed JSON: %v", err)
	}
	return json.Marshal(v)
}
