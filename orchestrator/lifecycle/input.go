package lifecycle

import (
	"encoding/json"
	"errors"
	"log/slog"
	"time"
)

// Input is what a lifecycle's Decide takes: a command of its own (defined in
// its package), or one of the shared inputs below.
type Input any

// Result is a worker's report of a provider call, for any lifecycle.
type Result struct {
	Op                string
	Outcome           Outcome
	ProviderReference string // the provider's id of the transaction, when the call made one
	Code              string // provider code (ISO response code, ResponseCode, …)
	Message           string
	// Data is what the call returned for the lifecycle to keep, when it
	// returns more than an id (a utility purchase's tokens), as JSON the
	// lifecycle and its connector agree on. Never a secret: it is stored
	// and shown as the lifecycle decides.
	Data json.RawMessage
	// Secret is a secret the call produced (a provider token), for the
	// lifecycle to seal into its transaction (env.Seal) and never show. It
	// prints, logs and marshals as "[secret]".
	Secret Secret
	// Batch is what the answer says of the settlement batch of the
	// transaction the call was about, when it says anything: a void refused
	// because the batch has closed (BatchClosed: the sale is settled), a
	// refund refused because it has not (BatchOpen).
	Batch Batch
}

// Secret is a value that must never be shown: fmt, slog and encoding/json
// print it as "[secret]"; Reveal gives the value to the code that seals it.
type Secret struct{ v []byte }

// NewSecret wraps b.
func NewSecret(b []byte) Secret { return Secret{v: b} }

// Reveal returns the value, to be sealed at once.
func (s Secret) Reveal() []byte { return s.v }

// IsZero reports whether there is no secret.
func (s Secret) IsZero() bool { return len(s.v) == 0 }

func (s Secret) String() string { return "[secret]" }

// GoString hides the value from %#v.
func (s Secret) GoString() string { return "[secret]" }

// LogValue hides the value from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue("[secret]") }

// MarshalJSON hides the value from encoding/json.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"[secret]"`), nil }

// Batch is a provider's word on a settlement batch.
type Batch int

const (
	BatchUnknown Batch = iota // the answer says nothing of it
	BatchClosed               // the batch has closed: the sale is settled
	BatchOpen                 // the batch is still open: not settled yet
)

// Outcome classifies a provider call. Every connector maps its provider's
// answers onto these classes in one place (workers/connector.ResultOf).
type Outcome int

const (
	OK         Outcome = iota + 1
	Declined           // the provider said no
	Failed             // failed, known to have moved nothing
	Unknown            // may have happened
	RetryLater         // try again later (ono 409): nothing happened
	NotFound           // the provider does not know the transaction
)

// String names the outcome, as metrics and provider-call records show it.
func (o Outcome) String() string {
	switch o {
	case OK:
		return "ok"
	case Declined:
		return "declined"
	case Failed:
		return "failed"
	case Unknown:
		return "unknown"
	case RetryLater:
		return "retry_later"
	case NotFound:
		return "not_found"
	}
	return "other"
}

// Fact reports whether the outcome is a certain provider fact (approved or
// declined): one that is recorded even when it arrives late.
func (o Outcome) Fact() bool { return o == OK || o == Declined }

// TimerFired is a durable timer of the transaction coming due.
type TimerFired struct {
	Kind    string
	Attempt int
	DueAt   time.Time
}

// Settle tells a sale that its merchant's batch cut-off At has passed:
// a sale that succeeded before At is settled.
type Settle struct{ At time.Time }

// ParentSettled tells a child (a deferred refund) that its parent has
// settled.
type ParentSettled struct{}

// CallCancelled reports that the engine removed the work item of an Op that
// no worker had sent (see effect.CancelCall): the call is certain never to
// have been made and never will be.
type CallCancelled struct{ Op string }

// ErrInvalidState is returned for a command a transaction cannot take in
// its status; the engine answers it with command.rejected invalid_state.
var ErrInvalidState = errors.New("invalid state")

// ErrIgnored is returned for a stale result or timer: nothing changes.
var ErrIgnored = errors.New("input does not apply")
