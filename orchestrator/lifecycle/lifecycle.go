// Package lifecycle is the registry of transaction lifecycles. A lifecycle
// is one package (orchestrator/charge, …) holding a pure state machine and
// a Lifecycle value that registers it: its transaction type, the commands
// that create it or act on it, its HTTP routes, its Decide, and how its
// state shows in the transaction resource. Engine, intake, timers, executor
// and API look lifecycles up here by command type or transaction type; none
// of them names a lifecycle.
package lifecycle

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Lifecycle is one transaction type's behaviour. Its methods hold no I/O:
// the engine loads, locks and writes; the lifecycle decides.
type Lifecycle interface {
	// Type is the transaction type ("charge").
	Type() string
	// Commands lists the command types it takes.
	Commands() []Command
	// Routes lists its HTTP routes, each turning a request into a command.
	Routes() []Route
	// InFlight reports whether status is one a caller waiting with
	// Prefer: wait waits to leave.
	InFlight(status string) bool
	// Final reports whether status ends the transaction's lifecycle (the
	// "final event" of the command → final event latency).
	Final(status string) bool
	// Parse validates a command's data (a *events.FieldError names the
	// bad field) and says what it is about.
	Parse(cmdType string, data json.RawMessage) (Parsed, error)
	// Create fills a new transaction from a creating command and returns
	// the effects that start it.
	Create(c *Creation) ([]effect.Effect, error)
	// Decide applies in to t (mutating it) and returns the effects to carry
	// out. env.Parent is t's parent, locked, when it has one; a child may
	// change it (env.ParentChanged), and the engine writes both in one commit.
	Decide(t *store.Txn, in Input, env *Env) ([]effect.Effect, error)
	// Awaits reports whether t still waits for the result of op: a work
	// item for a call t no longer waits for is removed uncalled.
	Awaits(t *store.Txn, op string) bool
	// Show adds t's type-specific fields to its resource.
	Show(t *store.Txn, r *events.Transaction)
}

// Command is a command type a lifecycle takes.
type Command struct {
	Type    string
	Creates bool // it creates a transaction (otherwise it acts on one)
	// Internal: the command is made by Switchyard itself (from a verified
	// provider callback), never taken from a merchant: engine.HandleCommand
	// refuses it, engine.HandleProviderCommand takes only such commands.
	Internal bool
}

// Route maps an HTTP route onto a command. Pattern is a net/http pattern
// ("POST /v1/charges/{id}/confirm"); PathID, when set, is the data field
// that takes the {id} path value.
type Route struct {
	Pattern string
	Command string
	PathID  string
}

// Ref names a transaction: by id, or by the merchant's reference within a
// transaction type. Field is the data field it came from, for rejections.
type Ref struct {
	ID        uuid.UUID
	Reference string
	Type      string
	Field     string
	// Optional: a Parent ref that names nothing leaves Creation.Parent nil
	// instead of rejecting the command (a payment for an unknown code is
	// still recorded).
	Optional bool
}

// IsZero reports whether r names nothing.
func (r Ref) IsZero() bool { return r.ID == uuid.Nil && r.Reference == "" }

// Parsed is what a command is about.
type Parsed struct {
	// Target is the transaction an acting command acts on.
	Target Ref
	// Parent is the transaction a creating command's child belongs to
	// (refund → charge), locked before the child is written.
	Parent Ref
	// Input is what an acting command feeds Decide.
	Input Input
	// Data is the decoded data of a creating command, for Create.
	Data any
	// Metadata is merged into the transaction's (later keys win).
	Metadata map[string]string
}

// Creation is a new transaction being created.
type Creation struct {
	Txn      *store.Txn // ID, MerchantID and Type are set; Create fills the rest
	Parsed   Parsed
	Merchant *store.Merchant
	Parent   *store.Txn // locked, when Parsed.Parent names one
	// ParentChanged is set by a Create that changed Parent.
	ParentChanged bool
	// ParentEvents are events the engine writes on Parent with its update,
	// in the same commit (setting them implies ParentChanged).
	ParentEvents []effect.Emit
	Now          time.Time
	Seal         Sealer
}

// Env is what Decide may know beyond the transaction and its input.
type Env struct {
	Now      time.Time
	Merchant *store.Merchant
	// Parent is the transaction's parent, locked in the same PostgreSQL
	// transaction (parent first, then child), or nil.
	Parent *store.Txn
	// ParentChanged is set by a Decide that changed Parent.
	ParentChanged bool
	// ParentEvents are events the engine writes on Parent with its update,
	// in the same commit (setting them implies ParentChanged).
	ParentEvents []effect.Emit
	// Seal seals values into the transaction's details.
	Seal Sealer
}

// Sealer seals a value into a transaction's details under key, bound to the
// transaction and merchant with purpose (see SealDetail).
type Sealer func(t *store.Txn, key, purpose string, plain []byte)
