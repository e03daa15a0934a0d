// Package executor is the worker side: a durable pull consumer on PAY_WORK
// that carries out provider calls the state machines asked for, and reports
// each call's outcome back to the engine, which commits the next transition.
//
// Exactly-once rules per operation (ono//connect):
//   - charge is not idempotent at the provider. Before calling, the worker
//     claims the call in PostgreSQL (provider_calls). A work item whose call
//     was already claimed may have been made by a worker that died: it is not
//     repeated but reported as Unknown, which reverses the charge by its
//     reference (the provider's clientTransactionId).
//   - confirm and reject are idempotent at the provider for the same
//     transaction id, so a redelivered work item simply repeats them.
//
// A work item whose transaction has moved on (stale version or status) is
// acknowledged without a call.
package executor
