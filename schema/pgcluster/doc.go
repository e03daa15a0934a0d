// Package pgcluster runs a local PostgreSQL cluster with the machine's own
// server binaries, for development (`switchyard` without --database-url) and
// for tests (schematest).
//
// Start initialises Options.Dir with initdb (-A trust -U postgres -E UTF8
// --no-locale) when Dir/PG_VERSION is missing, writes the settings, starts the
// server with `pg_ctl start -w -l Dir/postgres.log`, waits until it accepts
// connections and creates the database "switchyard" when missing. The server
// listens on 127.0.0.1 only; authentication is trust, so the cluster is for
// local use only.
//
// Choices where the brief left room:
//
//   - Settings are written to Dir/switchyard.conf, which Start rewrites on every
//     start and which postgresql.conf includes (include_if_exists, appended once
//     after initdb). postgresql.auto.conf stays for ALTER SYSTEM and still wins.
//     This avoids shell-quoting values through `pg_ctl -o`.
//   - The port (Options.Port 0 = pick a free 127.0.0.1 port) is remembered in
//     Dir/switchyard.port; later starts on the same Dir reuse it (an explicit
//     Options.Port wins and is remembered instead). A freshly picked port that
//     another process grabs before the server binds is retried with a new one.
//   - The unix socket goes to Dir when Dir is short enough for the ~107 byte
//     socket path limit; otherwise to /tmp/switchyard-pg-<hash of Dir>, a short
//     directory stable across restarts of the same Dir.
//   - If `pg_ctl status` says a server already runs on Dir, Start reuses it (its
//     port is read from postmaster.pid) instead of starting another; Stop stops
//     it. A stale postmaster.pid from a killed run is left to pg_ctl.
//   - initdb runs with --no-sync when the settings turn fsync off (tests).
//   - As root (PostgreSQL refuses to run as root) Dir is chowned to the OS user
//     "postgres" and initdb/pg_ctl run with its credentials. Each parent of Dir
//     that the postgres user cannot traverse gets the o+x (search only, not read)
//     bit added: t.TempDir() makes 0700 parents under /tmp, so this is needed
//     there. Nothing else about the parents is changed.
package pgcluster
