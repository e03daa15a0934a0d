package schematest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/schema"
	"github.com/switchyard/switchyard/schema/schematest"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// TestNewDBParallel creates databases from parallel tests; each one is
// distinct, writable, and holds every migration.
func TestNewDBParallel(t *testing.T) {
	t.Parallel()
	for i := range 6 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			url := schematest.NewDB(t)
			ctx := context.Background()
			status, err := schema.Status(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			if len(status) == 0 {
				t.Fatal("no migrations reported")
			}
			for _, m := range status {
				if !m.Applied() || !m.Embedded {
					t.Errorf("migration %d %s: applied %v embedded %v", m.Version, m.Name, m.Applied(), m.Embedded)
				}
			}
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			// Each database is private: a table made here is seen nowhere else.
			if _, err := conn.Exec(ctx, "CREATE TABLE only_here (id int)"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDatabasesDroppedAfterTest(t *testing.T) {
	var url string
	t.Run("make", func(t *testing.T) { url = schematest.NewDB(t) })
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, schematest.AdminURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", cfg.Database).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after its test", cfg.Database)
	}
}
