package processoneconn

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/schema/schematest"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
	"github.com/switchyard/switchyard/workers/processone"
	"github.com/switchyard/switchyard/workers/processone/processonesim"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// TestCredentials: each merchant's client carries that merchant's sealed
// authentication_key to ProcessOne (the simulator accepts only "good-key"),
// is built once, and a merchant without a usable account fails in Prepare,
// before anything could be sent.
func TestCredentials(t *testing.T) {
	t.Parallel()
	sim := httptest.NewServer(processonesim.New(processonesim.Options{AuthenticationKeys: []string{"good-key"}}).Handler())
	t.Cleanup(sim.Close)
	deps := connectortest.Deps(t)
	c := newConn(deps, sim.URL, 5*time.Second)
	conn := c.connector()
	if conn.Provider != events.ProviderProcessOne {
		t.Fatalf("provider %q", conn.Provider)
	}
	tests := []struct {
		name     string
		accounts map[string]string
		prepErr  string // "": Prepare succeeds; else what its error says
		callCode string // ResponseCode of a query for an unknown CallbackId
	}{
		{"good key", map[string]string{"processone": `{"authentication_key":"good-key"}`}, "", string(processone.CodeIncorrectTransactionID)},
		{"wrong key", map[string]string{"processone": `{"authentication_key":"other-key"}`}, "", "InvalidAuthenticationKey"},
		{"no processone account", map[string]string{"onoconnect": `{"merchant_id":"m","transaction_token":"t"}`}, "processone credentials: not found", ""},
		{"empty key", map[string]string{"processone": `{"authentication":"good-key"}`}, "authentication_key is empty", ""},
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
			_, err = cl.TransactionGetByCallbackID(t.Context(), &processone.GetTransactionByCallbackIDRequest{CallbackID: uuid.NewString()})
			if got := string(processone.CodeOf(err)); got != tt.callCode {
				t.Fatalf("query answered %q (%v), want %q", got, err, tt.callCode)
			}
		})
	}
}

func client(t *testing.T, c *conn, m uuid.UUID) *processone.Client {
	t.Helper()
	cl, err := c.clients.Get(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}
