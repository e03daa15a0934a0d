package utilityconn

import (
	"log/slog"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/utility"
)

// Credentials is what a merchant's utility provider account holds
// (contract §4). String and LogValue hide both values.
type Credentials struct {
	ClientID string `json:"client_id"`
	APIKey   string `json:"api_key"`
}

// String hides both values.
func (Credentials) String() string { return "utilityconn.Credentials{***}" }

// LogValue hides both values.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// conn is the utility connector's state: one client per merchant.
type conn struct {
	clients *connector.Clients[Credentials, *utility.Client]
}

func newConn(deps connector.Deps, baseURL string, timeout time.Duration) *conn {
	build := func(c Credentials) (*utility.Client, error) {
		// utility.NewClient refuses an empty client_id or api_key.
		return utility.NewClient(utility.Config{BaseURL: baseURL, Timeout: timeout,
			Credentials: utility.Credentials{ClientID: c.ClientID, APIKey: c.APIKey}})
	}
	return &conn{clients: connector.NewClients(deps, events.ProviderUtility, build)}
}

// New returns the utility connector for baseURL (--utility-url) with a
// per-call time-out. It has no operation yet (see the package doc).
func New(deps connector.Deps, baseURL string, timeout time.Duration) *connector.Connector {
	return newConn(deps, baseURL, timeout).connector()
}

func (c *conn) connector() *connector.Connector {
	return &connector.Connector{Provider: events.ProviderUtility, Prepare: c.clients.Prepare}
}
