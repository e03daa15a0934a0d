package utilityconn

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
	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/utility"
	"github.com/switchyard/switchyard/workers/utility/utilitysim"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// TestCredentials: each merchant's client carries that merchant's sealed
// client_id and api_key to the provider (the simulator accepts only
// "good-client" and "good-key"), is built once, and a merchant without a
// usable account fails in Prepare, before anything could be sent.
func TestCredentials(t *testing.T) {
	t.Parallel()
	sim := httptest.NewServer(utilitysim.New(utilitysim.Options{ClientID: "good-client", APIKey: "good-key"}).Handler())
	t.Cleanup(sim.Close)
	deps := connectortest.Deps(t)
	c := newConn(deps, sim.URL, 5*time.Second)
	conn := c.connector()
	if conn.Provider != events.ProviderUtility {
		t.Fatalf("provider %q", conn.Provider)
	}
	tests := []struct {
		name     string
		accounts map[string]string
		prepErr  string // "": Prepare succeeds; else what its error says
		callCode string // error code of a reversal advice for an unknown purchase ("": accepted)
	}{
		{"good credentials", map[string]string{"utility": `{"client_id":"good-client","api_key":"good-key"}`}, "", ""},
		{"wrong client id", map[string]string{"utility": `{"client_id":"other","api_key":"good-key"}`}, "", "AUTHENTICATION_ERROR"},
		{"wrong api key", map[string]string{"utility": `{"client_id":"good-client","api_key":"other"}`}, "", "AUTHENTICATION_ERROR"},
		{"no utility account", map[string]string{"codes": `{"username":"u","password":"p"}`}, "utility credentials: not found", ""},
		{"no api key", map[string]string{"utility": `{"client_id":"good-client"}`}, "client id and api key are required", ""},
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
			err = cl.Reverse(t.Context(), uuid.NewString(), utility.ReversalAdvice{Advice: utility.Advice{ID: uuid.NewString()}})
			if got := codeOf(err); got != tt.callCode {
				t.Fatalf("reversal answered %v, want code %q", err, tt.callCode)
			}
		})
	}
}

func client(t *testing.T, c *conn, m uuid.UUID) *utility.Client {
	t.Helper()
	cl, err := c.clients.Get(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// codeOf is the provider's code of err: "" for none, the error itself when
// it is not a provider's.
func codeOf(err error) string {
	var pe *provider.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pe):
		return pe.Code
	}
	return err.Error()
}
