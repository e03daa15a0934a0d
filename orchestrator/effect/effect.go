// Package effect holds the values a lifecycle's pure Decide function returns
// to describe what must happen next. Deciding builds these values; the engine
// persists them (timers, work items) in the same PostgreSQL transaction as the
// state change, and workers carry them out.
package effect

import (
	"encoding/json"
	"time"
)

// Effect is one thing to do after a transition commits.
type Effect interface{ isEffect() }

// Call asks a worker to call the provider. Op names the operation
// ("charge", "confirm", "reject"); ByReference asks for the provider's
// by-merchant-reference form of it.
type Call struct {
	Op          string
	ByReference bool
	// Recover: an earlier call of Op may have reached the provider (its
	// result was unknown); the worker follows the operation's recovery rule
	// (query before acting, retry with the same id) instead of calling.
	Recover bool
}

// SetTimer schedules (or reschedules) the durable timer Kind at At.
type SetTimer struct {
	Kind    string
	At      time.Time
	Attempt int
}

// CancelTimer removes the durable timer Kind if it is set.
type CancelTimer struct {
	Kind string
}

func (Call) isEffect()        {}
func (SetTimer) isEffect()    {}
func (CancelTimer) isEffect() {}

// CancelCall asks the engine to remove, in the same transaction, the work
// item of Op if no worker has sent it yet. When it does, the engine feeds
// the lifecycle an input saying so (the call is certain never to be made).
type CancelCall struct {
	Op string
}

func (CancelCall) isEffect() {}

// Emit writes one more event of the transaction, not a status change: type
// "<type>.<Kind>" (a code's "code.paid"), the next sequence number, with
// Detail as its data.detail. Emits are written before the transition's
// status event, in the order given.
type Emit struct {
	Kind   string
	Detail json.RawMessage
}

func (Emit) isEffect() {}
