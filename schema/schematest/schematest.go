package schematest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/schema/pgcluster"
)

// EnvDatabaseURL names the variable that points the tests at an existing
// server instead of a throwaway cluster.
const EnvDatabaseURL = "SWITCHYARD_TEST_DATABASE_URL"

// server is the test binary's PostgreSQL: started once, torn down by Main.
type server struct {
	adminURL string
	template string
	cluster  *pgcluster.Cluster // nil when EnvDatabaseURL is used
	dir      string
}

var (
	mainCalled bool
	setupOnce  sync.Once
	srv        *server
	setupErr   error
	createMu   sync.Mutex // CREATE DATABASE … TEMPLATE, one at a time
)

// Main runs the tests of a package that uses NewDB and exits with their
// code; call it from TestMain. The after functions run once the tests
// are done (removing what the tests shared).
func Main(m *testing.M, after ...func()) {
	mainCalled = true
	code := m.Run()
	for _, f := range after {
		f()
	}
	if srv != nil {
		if err := srv.teardown(); err != nil {
			fmt.Fprintf(os.Stderr, "schematest: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	os.Exit(code)
}

// NewDB returns the URL of a fresh database holding the migrated schema,
// dropped (WITH (FORCE)) when the test ends. Safe for parallel tests.
func NewDB(t testing.TB) string {
	t.Helper()
	s := mustServer(t)
	name := "test_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	createMu.Lock()
	err := adminExec(ctx, s.adminURL, "CREATE DATABASE "+name+" TEMPLATE "+s.template)
	createMu.Unlock()
	if err != nil {
		t.Fatalf("schematest: create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := adminExec(ctx, s.adminURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("schematest: drop test database: %v", err)
		}
	})
	return withDatabase(s.adminURL, name)
}

// AdminURL returns the URL of the test server's maintenance database
// ("postgres"), for tests that need the server itself.
func AdminURL(t testing.TB) string {
	t.Helper()
	return mustServer(t).adminURL
}

// Cluster returns the throwaway cluster, or nil when EnvDatabaseURL points
// the tests at another server.
func Cluster(t testing.TB) *pgcluster.Cluster {
	t.Helper()
	return mustServer(t).cluster
}

func mustServer(t testing.TB) *server {
	t.Helper()
	if !mainCalled {
		t.Fatal("schematest: call schematest.Main(m) from TestMain")
	}
	setupOnce.Do(func() { srv, setupErr = setup() })
	if setupErr != nil {
		t.Fatalf("schematest: %v", setupErr)
	}
	return srv
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// withDatabase replaces the database of a postgres:// URL.
func withDatabase(raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + db
	u.RawPath = ""
	return u.String()
}

func adminExec(ctx context.Context, adminURL, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}
