// Package schematest gives every test that needs PostgreSQL its own fresh,
// migrated database.
//
// Use it from TestMain:
//
//	func TestMain(m *testing.M) { schematest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		t.Parallel()
//		url := schematest.NewDB(t) // dropped when the test ends
//		...
//	}
//
// The first NewDB (or AdminURL/Cluster) of a test binary starts one
// throwaway cluster in a temporary directory with pgcluster (127.0.0.1 only,
// a free port, fsync and synchronous_commit off for speed), creates a
// template database and migrates it with schema.Migrate. Every NewDB then
// runs CREATE DATABASE … TEMPLATE <template>, which copies files and is much
// faster than migrating. Main stops the cluster and removes its directory
// after m.Run; a test binary that never calls NewDB starts nothing.
//
// With SWITCHYARD_TEST_DATABASE_URL set (a postgres:// URL of a role
// allowed to create databases), that server is used instead; the template is
// named switchyard_tmpl_<pid>_<random> and dropped by Main, test databases
// are dropped by their tests. A test binary killed before Main returns (e.g.
// by -timeout) leaves its databases behind on such a server; a throwaway
// cluster is cleaned up by a small watchdog shell started with it, which
// waits for the test binary's pid to go away, then sends the postmaster
// SIGQUIT and removes the temporary directory.
//
// CREATE DATABASE … TEMPLATE fails while another session is connected to
// the template, so creations are serialised by a mutex in the process; the
// template is only ever connected to while it is being migrated, before any
// NewDB.
package schematest
