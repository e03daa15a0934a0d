// Package store keeps every SQL statement of the orchestrator, behind methods
// named after what they do (TransactionGetForUpdate, OutboxClaimBatch, …).
// Methods that take a pgx.Tx run inside the caller's transaction so that a
// state change, its history, its outbox rows and its timers commit together.
package store
