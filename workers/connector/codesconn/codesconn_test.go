package codesconn

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
	"github.com/switchyard/switchyard/workers/paycode"
	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
	"github.com/switchyard/switchyard/workers/provider"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// TestCredentials: each merchant's client carries that merchant's sealed
// username and password to the provider (the simulator knows only
// "good-user" with "good-password"), is built once, and a merchant without
// a usable account fails in Prepare, before anything could be sent.
func TestCredentials(t *testing.T) {
	t.Parallel()
	sim := httptest.NewServer(paycodesim.New(paycodesim.Options{
		Merchants: []paycodesim.Merchant{{Username: "good-user", Password: "good-password", Name: "Shop"}}}).Handler())
	t.Cleanup(sim.Close)
	deps := connectortest.Deps(t)
	c := newConn(deps, sim.URL, 5*time.Second)
	conn := c.connector()
	if conn.Provider != events.ProviderCodes {
		t.Fatalf("provider %q", conn.Provider)
	}
	tests := []struct {
		name     string
		accounts map[string]string
		prepErr  string // "": Prepare succeeds; else what its error says
		callCode string // code of a query of a code that does not exist
	}{
		{"good login", map[string]string{"codes": `{"username":"good-user","password":"good-password"}`}, "", "431"},
		{"wrong password", map[string]string{"codes": `{"username":"good-user","password":"other"}`}, "", "403"},
		{"unknown user", map[string]string{"codes": `{"username":"other","password":"good-password"}`}, "", "403"},
		{"no codes account", map[string]string{"utility": `{"client_id":"c","api_key":"k"}`}, "codes credentials: not found", ""},
		{"no password", map[string]string{"codes": `{"username":"good-user"}`}, "Username and Password are required", ""},
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
			_, err = cl.Get(t.Context(), "0000000000")
			var pe *provider.Error
			if !errors.As(err, &pe) || pe.Code != tt.callCode {
				t.Fatalf("query answered %v, want code %q", err, tt.callCode)
			}
		})
	}
}

func client(t *testing.T, c *conn, m uuid.UUID) *paycode.Client {
	t.Helper()
	cl, err := c.clients.Get(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}
