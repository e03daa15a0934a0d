// Package executor is the worker side. It claims work items from PostgreSQL
// (the work_items table: written in the same transaction as the transition
// that asked for the call, claimed with FOR UPDATE SKIP LOCKED and leased,
// woken by LISTEN/NOTIFY with a polling fallback), carries out the provider
// call, and reports the outcome to the engine, which commits the next
// transition and deletes the work item in one transaction.
//
// Fencing. Every claim bumps the item's attempt, and every later write of
// the claim is checked against it: recording the call as sent, handing the
// item back, and committing the result (the DELETE of the item in the
// result's transaction). A worker that stalled past its lease therefore
// changes nothing when it wakes up: its "sent" is refused, so it does not
// call; or its result finds the item gone, and then only a provider fact
// (approved, declined) is recorded, as a late input, never dropped (the
// call's provider_calls record is written either way).
//
// Sent or not. The claim alone proves nothing was sent. Just before the
// call, one round trip checks the claim is still ours, records the call as
// sent (sent_attempt = attempt) and reads the transaction the call needs.
// A failure before that point (credentials, the database) is local: the
// item is handed back and the call made later; it is never treated as a
// provider outcome. Only a call recorded as sent and then left without a
// committed result (its worker died, or its lease ran out) is recovered by
// the rule its operation declares (workers/connector.Recovery):
//   - Repeat: idempotent at the provider (ono//connect confirm and reject
//     by transaction id): the next claim makes the call again. No "sent"
//     is recorded for these.
//   - ReverseByReference: never repeated (ono//connect charge): the next
//     claim reports the outcome as unknown, and the lifecycle reverses it by
//     the merchant's reference.
//   - ReportUnknown: never repeated and nothing to reverse (a payment
//     code's create): the next claim reports the outcome as unknown without
//     a call, and the lifecycle ends the transaction.
//   - QueryFirst: the next claim runs the operation's Recover (a query of
//     what became of the attempt, e.g. ProcessOne by CallbackId) instead of
//     the call, and commits what it learns.
//   - RetrySameID: the next claim runs Recover, the provider's retry with
//     the same id (utility purchases).
//
// The executor names no provider and no lifecycle: it claims work of kind
// provider_call, looks the operation up in the connector registry, and
// commits the result with a provider_calls record (latency, outcome, the
// exchanges redacted) in the same round trip.
//
// A known result whose commit fails (database down, a lock held) is kept in
// memory and retried with back-off while the lease lasts. A work item whose
// transaction no longer awaits its result (engine.Wants) is removed without
// a call. A lifecycle's effect.CancelCall (a reject that arrives before the
// charge was recorded as sent) removes the unsent item in its own
// transaction, so that call is never made.
//
// Holders. Every claim names its holder (work_items.claimed_by): the
// executor instance that made it, by the id of a session-level advisory lock
// it holds on a PostgreSQL connection of its own (holder.go,
// store.Holder). An executor claims only while it holds one. Every
// HolderEvery, and once at start before its first claim, it checks its lock
// and makes available at once the claims whose holder's lock no session
// holds (store.WorkReclaimOrphans): a killed process, or a dead host whose
// session TCP keepalives ended within seconds (store keepalive.go), need not
// wait for its leases. The lock is a hint on top of the lease and the
// fencing, never a replacement: the next claim still bumps attempt, and a
// charge already marked sent is reversed by reference, never repeated. An
// executor whose lock is lost claims nothing until it holds a new one, under
// a new id: its old claims may be taken again by others, and at worst cause
// a reversal.
package executor
