// Package executor is the worker side. It claims work items from PostgreSQL
// (the work_items table: written in the same transaction as the transition
// that asked for the call, claimed with FOR UPDATE SKIP LOCKED and leased,
// woken by LISTEN/NOTIFY with a polling fallback), carries out the provider
// call, and reports the outcome to the engine, which commits the next
// transition and deletes the work item in one transaction.
//
// Exactly-once rules per operation (ono//connect):
//   - charge is not idempotent at the provider. Each claim of a work item
//     counts an attempt, committed before the call. A charge work item
//     claimed a second time (its worker died, or its result could not be
//     committed) may already have been sent: it is not repeated but reported
//     as Unknown, which reverses the charge by its reference (the provider's
//     clientTransactionId).
//   - confirm and reject are idempotent at the provider for the same
//     transaction id, so a second attempt simply repeats them.
//
// A lease outlives the longest provider call (see LeaseFor), so a slow call
// is never handed to a second worker while the first may still be waiting.
// A work item whose transaction has moved on (another version) is removed
// without a call.
package executor
