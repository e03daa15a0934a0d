package code

import (
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Operations a worker carries out for a code (workers/connector/codesconn
// declares their recovery rules; it reads what to send with Pending).
const (
	OpCreate    = "create"     // POST /code/create (ReportUnknown: never repeated blindly)
	OpUpdate    = "update"     // PUT /code/{code} (Repeat)
	OpSetAmount = "set_amount" // PUT /code/{code}/amount (Repeat)
	OpBlock     = "block"      // block (Repeat)
	OpUnblock   = "unblock"    // unblock (Repeat)
	OpDelete    = "delete"     // DELETE /code/{code} (Repeat; 431 is done)
)

// Durable timers of a code.
const (
	// TimerExpiry: the code reaches its expiry while active or blocked.
	TimerExpiry = "code_expiry"
	// TimerRetry: the next attempt of a change whose outcome is unknown.
	TimerRetry = "retry"
)

// Kinds of a code's events that are not status changes (effect.Emit).
const (
	// EventChangeFailed: a change (update, set_amount, block, unblock,
	// delete) was refused by the provider or never answered; the code is
	// as it was, and data.detail says which change and why.
	EventChangeFailed = "change_failed"
	// EventUpdated: an update or set_amount was applied (the status did
	// not move, so no status event says so).
	EventUpdated = "updated"
)

// DefaultExpiry is how long a code lives when code.create names no expiry
// (the provider's own default).
const DefaultExpiry = 30 * time.Minute

// State is what the code state machine knows of one code.
type State struct {
	Status            string         `json:"-"`
	Reason            *events.Reason `json:"-"`
	ProviderReference string         `json:"-"` // the provider's code number
	// Spec is the code as it is at the provider (as asked, before create).
	Spec Spec `json:"spec"`
	// Next is what an in-flight update or set_amount asks it to become.
	Next *Spec `json:"next,omitempty"`
	// Op is the provider call the code waits for, "" when none.
	Op string `json:"op,omitempty"`
	// Attempt counts the retries of Op after unknown outcomes.
	Attempt int `json:"attempt,omitempty"`
}

// Inputs of the code machine's commands.
type (
	// Update is code.update, parsed; Apply checks it against the code.
	Update struct{ Data events.CodeUpdateData }
	// SetAmount is code.set_amount with its amount and expiry as given.
	SetAmount struct{ Amount, ExpiresAt string }
	// Action is code.block, code.unblock or code.delete (its Op).
	Action struct{ Op string }
)

// The shared inputs a code takes (orchestrator/lifecycle).
type (
	Input      = lifecycle.Input
	Result     = lifecycle.Result
	TimerFired = lifecycle.TimerFired
)

// Awaits reports whether a code in state s still waits for the result of
// op.
func Awaits(s State, op string) bool { return op != "" && s.Op == op }
