// Package schema owns Switchyard's PostgreSQL schema: the numbered SQL files in
// migrations/ (embedded into the binary) and the runner that applies them.
//
// Migrate applies every embedded migration that is not yet recorded in the
// table schema_migrations(version, name, applied_at). It is safe to call from
// several processes at once: the whole run holds a session-level
// pg_advisory_lock with a fixed key on a single connection, so a second
// instance waits, then finds everything applied and does nothing.
//
// Each migration runs in its own transaction that starts with
//
//	SET LOCAL lock_timeout = '10s';
//	SET LOCAL statement_timeout = '60s';
//
// and records its version in the same transaction, so a failed migration
// leaves neither its changes nor its record behind. A consequence: a
// migration cannot use statements that refuse to run inside a transaction
// (CREATE INDEX CONCURRENTLY, VACUUM, ALTER TYPE ... ADD VALUE before PG 12).
//
// File names are NNNN_name.sql: the version is the leading number (leading
// zeros ignored), the name is the rest without ".sql". Two files with the same
// version, or a file name without a number, make Migrate fail before touching
// the database. A file's SQL is sent with the simple query protocol, so it
// may hold several statements. Migrations are only ever added: a version
// recorded in the database but missing from the binary is reported by Status
// (Embedded false) and ignored by Migrate.
//
// Sub-packages: pgcluster runs a local PostgreSQL cluster with the machine's
// binaries; schematest gives each test a fresh migrated database.
package schema
