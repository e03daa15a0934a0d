// Package engine applies commands, provider results and timers to
// transactions. It names no lifecycle: it finds the one that takes a command
// type, or runs a transaction type, in its orchestrator/lifecycle registry.
// For each input it loads the transaction under a row lock (with its parent,
// parent first, when it has one), asks the lifecycle's Decide for the next
// state and effects, and writes, in ONE
// PostgreSQL transaction: the guarded row update (version check), the history
// row and outbox row of every event, the work items (provider calls) for the
// workers, the timers, and the command's idempotency record.
//
// Idempotency: a command is recorded in the commands table, keyed by
// (merchant, command id), in the same transaction as its effect. A repeat with
// the same data hash has no effect and gets the first outcome back; a repeat
// with other data is rejected (idempotency_conflict). A JetStream redelivery of
// a command that already committed is therefore harmless: PostgreSQL, not the
// JetStream ack, decides.
//
// Events: a transition whose status moves writes that status's event
// ("<type>.<status>"); a lifecycle may add events that are not status
// changes (effect.Emit: "<type>.<kind>" with data.detail), written before
// it with the next sequence numbers, and, through Env.ParentEvents or
// Creation.ParentEvents, events on the parent written with the parent's
// update in the same commit.
//
// Internal commands (lifecycle.Command.Internal: payment.record) are made by
// Switchyard from verified provider callbacks: HandleCommand refuses them
// (invalid_request on type), and HandleProviderCommand takes only them.
package engine
