package codesconn

import (
	"context"
	"log/slog"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/code"
	"github.com/switchyard/switchyard/orchestrator/payment"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/paycode"
)

// Credentials is what a merchant's codes provider account holds
// (contract §4): the login, and the secret the provider signs this
// merchant's payment notifications with (callback.go). String and LogValue
// hide every value.
type Credentials struct {
	Username       string `json:"username"`
	Password       string `json:"password"`
	CallbackSecret string `json:"callback_secret,omitempty"`
}

// String hides every value.
func (Credentials) String() string { return "codesconn.Credentials{***}" }

// LogValue hides every value.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// conn is the payment-codes connector's state: one client per merchant,
// and the lifecycles' accessors it reads a transaction through (a test may
// replace them; production uses code.Pending and payment.Data).
type conn struct {
	clients     *connector.Clients[Credentials, *paycode.Client]
	pending     func(*store.Txn) (code.Spec, error)
	paymentData func(*store.Txn) (events.CodePaymentData, error)
}

func newConn(deps connector.Deps, baseURL string, timeout time.Duration) *conn {
	build := func(c Credentials) (*paycode.Client, error) {
		// paycode.NewClient refuses an empty username or password.
		return paycode.NewClient(paycode.Config{BaseURL: baseURL, Username: c.Username, Password: c.Password, Timeout: timeout})
	}
	return &conn{clients: connector.NewClients(deps, events.ProviderCodes, build), pending: code.Pending, paymentData: payment.Data}
}

// New returns the payment-codes connector for baseURL (--codes-url) with a
// per-call time-out: a code's create (never repeated), its changes and a
// payment's verification (repeated); see the package doc.
func New(deps connector.Deps, baseURL string, timeout time.Duration) *connector.Connector {
	return newConn(deps, baseURL, timeout).connector()
}

func (c *conn) connector() *connector.Connector {
	return &connector.Connector{
		Provider: events.ProviderCodes,
		Prepare:  c.clients.Prepare,
		Operations: []connector.Operation{
			{Name: OpCreate, Recovery: connector.ReportUnknown, Call: c.create},
			{Name: OpUpdate, Recovery: connector.Repeat, Call: c.update},
			{Name: OpSetAmount, Recovery: connector.Repeat, Call: c.setAmount},
			{Name: OpBlock, Recovery: connector.Repeat, Call: c.block},
			{Name: OpUnblock, Recovery: connector.Repeat, Call: c.unblock},
			{Name: OpDelete, Recovery: connector.Repeat, Call: c.delete},
			{Name: OpVerify, Recovery: connector.Repeat, Call: c.verify},
		},
	}
}

// Operations on a code transaction, and on a payment (verify).
const (
	OpCreate    = "create"
	OpUpdate    = "update"
	OpSetAmount = "set_amount"
	OpBlock     = "block"
	OpUnblock   = "unblock"
	OpDelete    = "delete"
	OpVerify    = "verify"
)

// clientFor is the client of t's merchant.
func (c *conn) clientFor(ctx context.Context, t *store.Txn) (*paycode.Client, error) {
	return c.clients.Get(ctx, t.MerchantID)
}
