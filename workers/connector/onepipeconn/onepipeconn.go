package onepipeconn

import (
	"log/slog"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/onepipe"
)

// Credentials is what a merchant's onepipe provider account holds
// (contract §4). String and LogValue hide both values.
type Credentials struct {
	APIKey string `json:"api_key"`
	Secret string `json:"secret"`
}

// String hides both values.
func (Credentials) String() string { return "onepipeconn.Credentials{***}" }

// LogValue hides both values.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// conn is the OnePipe connector's state: one client per merchant.
type conn struct {
	deps    connector.Deps
	clients *connector.Clients[Credentials, *onepipe.Client]
}

func newConn(deps connector.Deps, baseURL string, timeout time.Duration) *conn {
	build := func(c Credentials) (*onepipe.Client, error) {
		// onepipe.NewClient refuses an empty api_key or secret.
		return onepipe.NewClient(onepipe.Config{BaseURL: baseURL, APIKey: c.APIKey, Secret: c.Secret, Timeout: timeout})
	}
	return &conn{deps: deps, clients: connector.NewClients(deps, events.ProviderOnePipe, build)}
}

// New returns the OnePipe connector for baseURL (--onepipe-url) with a
// per-call time-out: consent, validate, hold and capture, asked by query
// first, and release, repeated (see the package doc).
func New(deps connector.Deps, baseURL string, timeout time.Duration) *connector.Connector {
	return newConn(deps, baseURL, timeout).connector()
}

func (c *conn) connector() *connector.Connector {
	conn := &connector.Connector{Provider: events.ProviderOnePipe, Prepare: c.clients.Prepare}
	for _, o := range []operation{
		{OpConsent, c.consent},
		{OpValidate, c.validate},
		{OpHold, c.hold},
		{OpCapture, c.capture},
	} {
		conn.Operations = append(conn.Operations,
			connector.Operation{Name: o.name, Recovery: connector.QueryFirst, Call: o.call(c), Recover: o.recover(c)})
	}
	release := operation{OpRelease, c.release}
	conn.Operations = append(conn.Operations, connector.Operation{Name: OpRelease, Recovery: connector.Repeat, Call: release.call(c)})
	return conn
}

// Operations on a consent (consent, validate, release) and on a hold (hold,
// capture, release); see the package doc.
const (
	OpConsent  = "consent"
	OpValidate = "validate"
	OpHold     = "hold"
	OpCapture  = "capture"
	OpRelease  = "release"
)
