package api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// readyz answers GET /readyz of an API over st with the readiness hook ready.
func readyz(t *testing.T, st *store.Store, ready func(context.Context) error) (int, string) {
	t.Helper()
	nc, js := brokertest.Connect(t, brokertest.Start(t))
	a := api.New(api.Config{Engine: engine.New(engine.Config{Store: st}), NATS: nc, JetStream: js, Ready: ready})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestReadyzHidesDatabaseErrors: with PostgreSQL unreachable, /readyz is 503
// with a short reason, never the driver's error (host, port, user).
func TestReadyzHidesDatabaseErrors(t *testing.T) {
	t.Parallel()
	pool, err := pgxpool.New(t.Context(), "postgres://secretuser@127.0.0.1:1/none?connect_timeout=1&sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	status, body := readyz(t, &store.Store{Pool: pool}, nil)
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "database unavailable") {
		t.Fatalf("readyz: %d %s", status, body)
	}
	for _, leak := range []string{"127.0.0.1", "secretuser", "dial", "connect"} {
		if strings.Contains(body, leak) {
			t.Fatalf("readyz shows %q: %s", leak, body)
		}
	}
}

// TestReadyzHook: the node's readiness hook decides too; its error is the
// reason given.
func TestReadyzHook(t *testing.T) {
	t.Parallel()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	tests := []struct {
		name   string
		ready  func(context.Context) error
		status int
		body   string
	}{
		{"no hook", nil, http.StatusOK, "ready"},
		{"ready", func(context.Context) error { return nil }, http.StatusOK, "ready"},
		{"not ready", func(context.Context) error { return errors.New("intake: consumer lost") },
			http.StatusServiceUnavailable, "intake: consumer lost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := readyz(t, st, tt.ready)
			if status != tt.status || !strings.Contains(body, tt.body) {
				t.Fatalf("readyz: %d %s, want %d with %q", status, body, tt.status, tt.body)
			}
		})
	}
}
