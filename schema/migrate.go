package schema

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// advisoryLockKey is the fixed pg_advisory_lock key that serialises
// migration runs across processes ("SWYDMIGR" in ASCII).
const advisoryLockKey int64 = 0x535759444d494752

const createTableSQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    int PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// Migrate applies the embedded migrations missing from databaseURL, in
// version order, and returns the versions it applied (empty when the
// database was already up to date). log may be nil.
func Migrate(ctx context.Context, databaseURL string, log *slog.Logger) (applied []int, err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	all, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return nil, fmt.Errorf("schema: connect: %w", err)
	}
	defer closeConn(conn)
	unlock, err := lock(ctx, conn)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, unlock()) }()
	if _, err := conn.Exec(ctx, createTableSQL); err != nil {
		return nil, fmt.Errorf("schema: create schema_migrations: %w", err)
	}
	done, err := appliedVersions(ctx, conn)
	if err != nil {
		return nil, err
	}
	for _, m := range all {
		if _, ok := done[m.Version]; ok {
			continue
		}
		start := time.Now()
		if err := apply(ctx, conn, m); err != nil {
			return applied, err
		}
		applied = append(applied, m.Version)
		log.Info("schema migration applied", "version", m.Version, "name", m.Name, "took", time.Since(start).Round(time.Millisecond))
	}
	if len(applied) == 0 {
		log.Debug("schema up to date", "migrations", len(all))
	}
	return applied, nil
}

// lock takes the session-level advisory lock; the returned func releases it.
func lock(ctx context.Context, conn *pgx.Conn) (func() error, error) {
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", advisoryLockKey); err != nil {
		return nil, fmt.Errorf("schema: take migration lock: %w", err)
	}
	return func() error {
		// A fresh context: the caller's may be cancelled; closing the
		// connection releases the lock anyway.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", advisoryLockKey); err != nil && !conn.IsClosed() {
			return fmt.Errorf("schema: release migration lock: %w", err)
		}
		return nil
	}, nil
}

// apply runs one migration and records it, in one transaction.
func apply(ctx context.Context, conn *pgx.Conn, m Migration) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL lock_timeout = '10s'; SET LOCAL statement_timeout = '60s'"); err != nil {
			return fmt.Errorf("schema: migration %04d: set time-outs: %w", m.Version, err)
		}
		if _, err := tx.Exec(ctx, m.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("schema: migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
			return fmt.Errorf("schema: record migration %04d: %w", m.Version, err)
		}
		return nil
	})
}

func appliedVersions(ctx context.Context, conn *pgx.Conn) (map[int]time.Time, error) {
	rows, err := conn.Query(ctx, "SELECT version, applied_at FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("schema: read schema_migrations: %w", err)
	}
	defer rows.Close()
	out := map[int]time.Time{}
	for rows.Next() {
		var v int
		var at time.Time
		if err := rows.Scan(&v, &at); err != nil {
			return nil, fmt.Errorf("schema: read schema_migrations: %w", err)
		}
		out[v] = at
	}
	return out, rows.Err()
}

func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = conn.Close(ctx)
}
