package schema_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/schema"
	"github.com/switchyard/switchyard/schema/schematest"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// emptyDB returns the URL of a new database with nothing migrated.
func emptyDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	admin := schematest.AdminURL(t)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	db := "empty_" + strings.ToLower(t.Name())
	name := pgx.Identifier{db}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + db
	return u.String()
}

// TestMigrateConcurrently: two instances migrating one fresh database at
// once both succeed and every version is applied exactly once.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	dbURL := emptyDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	results := make([][]int, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { results[i], errs[i] = schema.Migrate(ctx, dbURL, nil) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
	all := append(slices.Clone(results[0]), results[1]...)
	slices.Sort(all)
	status, err := schema.Status(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for _, m := range status {
		want = append(want, m.Version)
		if !m.Applied() {
			t.Errorf("migration %d not applied", m.Version)
		}
	}
	if !slices.Equal(all, want) {
		t.Errorf("applied by the two instances together = %v, want each of %v once", all, want)
	}
}

// TestMigrateIdempotent: a second run applies nothing.
func TestMigrateIdempotent(t *testing.T) {
	t.Parallel()
	dbURL := emptyDB(t)
	ctx := context.Background()
	before, err := schema.Status(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range before {
		if m.Applied() {
			t.Errorf("fresh database: migration %d already applied", m.Version)
		}
	}
	first, err := schema.Migrate(ctx, dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(before) {
		t.Errorf("first run applied %v, want %d migrations", first, len(before))
	}
	second, err := schema.Migrate(ctx, dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 0 {
		t.Errorf("second run applied %v, want nothing", second)
	}
}
