package codesconn

import (
	"log/slog"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/paycode"
)

// Credentials is what a merchant's codes provider account holds
// (contract §4). String and LogValue hide both values.
type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// String hides both values.
func (Credentials) String() string { return "codesconn.Credentials{***}" }

// LogValue hides both values.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// conn is the payment-codes connector's state: one client per merchant.
type conn struct {
	clients *connector.Clients[Credentials, *paycode.Client]
}

func newConn(deps connector.Deps, baseURL string, timeout time.Duration) *conn {
	build := func(c Credentials) (*paycode.Client, error) {
		// paycode.NewClient refuses an empty username or password.
		return paycode.NewClient(paycode.Config{BaseURL: baseURL, Username: c.Username, Password: c.Password, Timeout: timeout})
	}
	return &conn{clients: connector.NewClients(deps, events.ProviderCodes, build)}
}

// New returns the payment-codes connector for baseURL (--codes-url) with a
// per-call time-out. It has no operation yet (see the package doc).
func New(deps connector.Deps, baseURL string, timeout time.Duration) *connector.Connector {
	return newConn(deps, baseURL, timeout).connector()
}

func (c *conn) connector() *connector.Connector {
	return &connector.Connector{Provider: events.ProviderCodes, Prepare: c.clients.Prepare}
}
