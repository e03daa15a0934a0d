package pgcluster_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/schema/pgcluster"
)

// TestStartRestartStop starts a cluster, writes a row, stops it, starts it
// again on the same directory (same port, row still there) and stops it.
func TestStartRestartStop(t *testing.T) {
	if _, err := pgcluster.FindBinaries(); errors.Is(err, pgcluster.ErrNoBinaries) {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := pgcluster.Options{
		Dir:      filepath.Join(t.TempDir(), "pg"),
		Settings: map[string]string{"fsync": "off", "synchronous_commit": "off", "shared_buffers": "16MB"},
	}
	c := startCluster(ctx, t, opts)
	exec(ctx, t, c.URL("switchyard"), "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)")
	port := c.Port()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}

	c = startCluster(ctx, t, opts)
	if c.Port() != port {
		t.Errorf("restart port = %d, want the remembered %d", c.Port(), port)
	}
	again := startCluster(ctx, t, opts) // already running: reused
	if again.Port() != port {
		t.Errorf("reused cluster port = %d, want %d", again.Port(), port)
	}
	var id int
	queryRow(ctx, t, c.URL("switchyard"), "SELECT id FROM kept", &id)
	if id != 42 {
		t.Errorf("row after restart = %d, want 42", id)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(opts.Dir, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid after Stop: %v", err)
	}
}

func startCluster(ctx context.Context, t *testing.T, opts pgcluster.Options) *pgcluster.Cluster {
	t.Helper()
	c, err := pgcluster.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	return c
}

func exec(ctx context.Context, t *testing.T, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}

func queryRow(ctx context.Context, t *testing.T, url, sql string, dest ...any) {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql).Scan(dest...); err != nil {
		t.Fatal(err)
	}
}
