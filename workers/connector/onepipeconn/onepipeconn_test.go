package onepipeconn

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/schema/schematest"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
	"github.com/switchyard/switchyard/workers/onepipe"
	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/provider"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// TestCredentials: each merchant's client carries that merchant's sealed
// api_key and secret to OnePipe (the simulator accepts only "good-key" and
// "good-secret"), is built once, and a merchant without a usable account
// fails in Prepare, before anything could be sent.
func TestCredentials(t *testing.T) {
	t.Parallel()
	sim := httptest.NewServer(onepipesim.New(onepipesim.Options{APIKey: "good-key", Secret: "good-secret"}).Handler())
	t.Cleanup(sim.Close)
	deps := connectortest.Deps(t)
	c := newConn(deps, sim.URL, 5*time.Second)
	conn := c.connector()
	if conn.Provider != events.ProviderOnePipe {
		t.Fatalf("provider %q", conn.Provider)
	}
	tests := []struct {
		name     string
		accounts map[string]string
		prepErr  string // "": Prepare succeeds; else what its error says
		callCode string // provider code of a query for an unknown transaction_ref
	}{
		{"good credentials", map[string]string{"onepipe": `{"api_key":"good-key","secret":"good-secret"}`}, "", onepipe.CodeNotFound},
		{"wrong api key", map[string]string{"onepipe": `{"api_key":"other-key","secret":"good-secret"}`}, "", "401"},
		{"wrong secret", map[string]string{"onepipe": `{"api_key":"good-key","secret":"other-secret"}`}, "", "401"},
		{"no onepipe account", map[string]string{"processone": `{"authentication_key":"k"}`}, "onepipe credentials: not found", ""},
		{"no secret", map[string]string{"onepipe": `{"api_key":"good-key"}`}, "Secret is required", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := connectortest.Merchant(t, deps, tt.accounts)
			err := conn.Prepare(t.Context(), m)
			if tt.prepErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.prepErr) {
					t.Fatalf("Prepare: %v, want an error saying %q", err, tt.prepErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			cl := client(t, c, m)
			if again := client(t, c, m); again != cl {
				t.Fatal("client built twice for one merchant")
			}
			_, err = cl.Query(t.Context(), uuid.NewString(), uuid.NewString())
			var pe *provider.Error
			if !errors.As(err, &pe) || pe.Code != tt.callCode {
				t.Fatalf("query answered %v, want provider code %q", err, tt.callCode)
			}
		})
	}
}

func client(t *testing.T, c *conn, m uuid.UUID) *onepipe.Client {
	t.Helper()
	cl, err := c.clients.Get(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}
