package schema

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
)

// Status lists every migration, embedded or recorded in databaseURL, in
// version order, with AppliedAt set for those already applied. A database
// never migrated gives every embedded migration with a zero AppliedAt.
func Status(ctx context.Context, databaseURL string) ([]Migration, error) {
	all, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return nil, fmt.Errorf("schema: connect: %w", err)
	}
	defer closeConn(conn)
	recorded, err := recordedMigrations(ctx, conn)
	if err != nil {
		return nil, err
	}
	byVersion := map[int]int{}
	for i, m := range all {
		byVersion[m.Version] = i
	}
	for _, r := range recorded {
		if i, ok := byVersion[r.Version]; ok {
			all[i].AppliedAt = r.AppliedAt
			continue
		}
		all = append(all, r)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Version < all[j].Version })
	for i := range all {
		all[i].sql = ""
	}
	return all, nil
}

// recordedMigrations reads schema_migrations; a missing table means none.
func recordedMigrations(ctx context.Context, conn *pgx.Conn) ([]Migration, error) {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass('schema_migrations') IS NOT NULL").Scan(&exists); err != nil {
		return nil, fmt.Errorf("schema: look for schema_migrations: %w", err)
	}
	if !exists {
		return nil, nil
	}
	rows, err := conn.Query(ctx, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("schema: read schema_migrations: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Migration, error) {
		var m Migration
		err := row.Scan(&m.Version, &m.Name, &m.AppliedAt)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("schema: read schema_migrations: %w", err)
	}
	return out, nil
}
