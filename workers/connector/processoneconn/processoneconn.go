package processoneconn

import (
	"errors"
	"log/slog"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/processone"
)

// Credentials is what a merchant's processone provider account holds
// (contract §4). String and LogValue hide the key.
type Credentials struct {
	AuthenticationKey string `json:"authentication_key"`
}

// String hides the key.
func (Credentials) String() string { return "processoneconn.Credentials{***}" }

// LogValue hides the key.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Operations: the charge's sale, and a refund's void or refund of its
// parent charge.
const (
	OpCharge = charge.OpCharge
	OpVoid   = "void"
	OpRefund = "refund"
)

// conn is the ProcessOne connector's state: one client per merchant.
type conn struct {
	deps    connector.Deps
	clients *connector.Clients[Credentials, *processone.Client]
}

func newConn(deps connector.Deps, baseURL string, timeout time.Duration) *conn {
	build := func(c Credentials) (*processone.Client, error) {
		if c.AuthenticationKey == "" {
			return nil, errors.New("authentication_key is empty")
		}
		return processone.NewClient(processone.Config{BaseURL: baseURL, AuthenticationKey: c.AuthenticationKey, Timeout: timeout})
	}
	return &conn{deps: deps, clients: connector.NewClients(deps, events.ProviderProcessOne, build)}
}

// New returns the ProcessOne connector for baseURL (--processone-url) with a
// per-call time-out: charge, void and refund, each recovered by query first
// (see the package doc).
func New(deps connector.Deps, baseURL string, timeout time.Duration) *connector.Connector {
	return newConn(deps, baseURL, timeout).connector()
}

func (c *conn) connector() *connector.Connector {
	return &connector.Connector{
		Provider: events.ProviderProcessOne,
		Prepare:  c.clients.Prepare,
		Operations: []connector.Operation{
			{Name: OpCharge, Recovery: connector.QueryFirst, Call: c.charge, Recover: c.chargeRecover},
			{Name: OpVoid, Recovery: connector.QueryFirst, Call: c.void, Recover: c.voidRecover},
			{Name: OpRefund, Recovery: connector.QueryFirst, Call: c.refund, Recover: c.refundRecover},
		},
	}
}
