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
package engine
