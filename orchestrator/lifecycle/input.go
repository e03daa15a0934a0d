package lifecycle

import (
	"encoding/json"
	"errors"
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
	// Batch is what the answer says of the settlement batch of the
	// transaction the call was about, when it says anything: a void refused
	// because the batch has closed (BatchClosed: the sale is settled), a
	// refund refused because it has not (BatchOpen).
	Batch Batch
}

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
