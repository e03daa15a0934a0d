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
	deps     connector.Deps
	accounts *connector.Accounts[Credentials] // the client_id sent as client.id
	clients  *connector.Clients[Credentials, *utility.Client]
}

func newConn(deps connector.Deps, baseURL string, timeout time.Duration) *conn {
	build := func(c Credentials) (*utility.Client, error) {
		// utility.NewClient refuses an empty client_id or api_key.
		return utility.NewClient(utility.Config{BaseURL: baseURL, Timeout: timeout,
			Credentials: utility.Credentials{ClientID: c.ClientID, APIKey: c.APIKey}})
	}
	return &conn{deps: deps, accounts: connector.NewAccounts[Credentials](deps, events.ProviderUtility),
		clients: connector.NewClients(deps, events.ProviderUtility, build)}
}

// New returns the utility connector for baseURL (--utility-url) with a
// per-call time-out: the purchase, retried with the same id, and its
// confirmation and reversal advices, repeated (see the package doc).
func New(deps connector.Deps, baseURL string, timeout time.Duration) *connector.Connector {
	return newConn(deps, baseURL, timeout).connector()
}

func (c *conn) connector() *connector.Connector {
	return &connector.Connector{
		Provider: events.ProviderUtility,
		Prepare:  c.clients.Prepare,
		Operations: []connector.Operation{
			{Name: OpPurchase, Recovery: connector.RetrySameID, Call: c.purchase, Recover: c.purchaseRecover},
			{Name: OpConfirm, Recovery: connector.Repeat, Call: c.confirm},
			{Name: OpReverse, Recovery: connector.Repeat, Call: c.reverse},
		},
	}
}

// Operations on a purchase transaction (see the package doc).
const (
	OpPurchase = "purchase"
	OpConfirm  = "confirm"
	OpReverse  = "reverse"
)
