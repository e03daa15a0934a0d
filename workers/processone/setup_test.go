package processone

import (
	"context"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/processone/processonesim"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// testTimeout is the client time-out in tests.
const testTimeout = 300 * time.Millisecond

// testStart is before the default 22:00 cut-off.
var testStart = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

type bundle struct {
	sim    *processonesim.Simulator
	srv    *httptest.Server
	client *Client
	clock  *clock
	ctx    context.Context
}

// setup starts a simulator on a real listener and a client with a short
// time-out.
func setup(t *testing.T, opts processonesim.Options) *bundle {
	t.Helper()
	clk := &clock{now: testStart}
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	sim := processonesim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{BaseURL: srv.URL, AuthenticationKey: processonesim.DevAuthenticationKey, Timeout: testTimeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Caller().HTTP.CloseIdleConnections)
	return &bundle{sim: sim, srv: srv, client: c, clock: clk, ctx: context.Background()}
}

func dollars(s string) Amount { return MustDollars(s) }

func card(number string) *CreditCardDetails {
	cvv := "123"
	if len(number) == 15 {
		cvv = "1234"
	}
	return &CreditCardDetails{ExpirationYear: 2030, ExpirationMonth: 12, Number: number, ValidationValue: cvv,
		Holder: &Customer{Name: "John Stevens", Zip: "12345", Address: "test address"}}
}

func account(number string) *EftDetails {
	return &EftDetails{RoutingNumber: "121042882", AccountNumber: number, Type: AccountChecking, CustomerName: "John Stevens"}
}

func refs(ref1 string) *ClientReferenceData { return &ClientReferenceData{ClientReferenceData1: &ref1} }

func (b *bundle) charge(t *testing.T, number, amount, callback string) (*ChargeCreditCardResponse, error) {
	t.Helper()
	return b.client.CreditCardCharge(b.ctx, &ChargeCreditCardRequest{Amount: dollars(amount), CreditCard: card(number),
		ClientReferenceData: refs("POL-1"), CallbackID: optional(callback)})
}

func (b *bundle) debit(t *testing.T, acct, amount, callback string) (*DebitEftResponse, error) {
	t.Helper()
	return b.client.EftDebit(b.ctx, &DebitEftRequest{Amount: dollars(amount), EftDetails: account(acct),
		ClientReferenceData: refs("POL-1"), CallbackID: optional(callback)})
}

// mustOK fails the test on err.
func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantCode checks that err carries code (nil for Success).
func wantCode(t *testing.T, err error, code ResponseCode) {
	t.Helper()
	if code == CodeSuccess {
		mustOK(t, err)
		return
	}
	if got := CodeOf(err); got != code {
		t.Fatalf("ResponseCode = %q (err %v), want %q", got, err, code)
	}
}

// optional is nil for "".
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// idNum is a transaction id as a number (ids are decimal integers).
func idNum(id string) int64 {
	n, _ := strconv.ParseInt(id, 10, 64)
	return n
}
