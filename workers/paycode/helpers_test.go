package paycode

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
	"github.com/switchyard/switchyard/workers/provider"
)

// t0 is the simulator's fixed start time in tests.
var t0 = time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)

const firstCode = 8227541409 // the seed's sample code

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

type bundle struct {
	sim    *paycodesim.Simulator
	srv    *httptest.Server
	clock  *fakeClock
	client *Client // merchant1
}

// setup starts a simulator with a fixed clock and sequential codes behind a
// real HTTP server, and a client for merchant1.
func setup(t *testing.T) *bundle {
	t.Helper()
	clock := &fakeClock{now: t0}
	var next atomic.Int64
	next.Store(firstCode - 1)
	var ids atomic.Int64
	sim := paycodesim.New(paycodesim.Options{
		Now:     clock.Now,
		NewCode: func() string { return strconv.FormatInt(next.Add(1), 10) },
		NewID:   func() string { return "pay-" + strconv.FormatInt(ids.Add(1), 10) },
	})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	b := &bundle{sim: sim, srv: srv, clock: clock}
	b.client = b.clientFor(t, "merchant1", "secret1", 2*time.Second)
	return b
}

func (b *bundle) clientFor(t *testing.T, user, pass string, timeout time.Duration) *Client {
	t.Helper()
	c, err := NewClient(Config{BaseURL: b.srv.URL, Username: user, Password: pass, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// raw sends a request with merchant1's login and returns status and body.
func (b *bundle) raw(t *testing.T, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, b.srv.URL+path, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth("merchant1", "secret1")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// create makes a basic code for merchant1 and returns its number.
func (b *bundle) create(t *testing.T, mod func(*CreateRequest)) string {
	t.Helper()
	req := basicRequest()
	if mod != nil {
		mod(&req)
	}
	res, err := b.client.Create(context.Background(), req)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return res.Code
}

// basicRequest is the seed's "Basic" sample.
func basicRequest() CreateRequest {
	return CreateRequest{Amount: decimal.NewFromInt(10), MerchantReference: "TestMerchRef12", ShortDescription: "Basket of Goods"}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// wantErr checks err is a *provider.Error of kind with status (0 = any).
func wantErr(t *testing.T, err error, kind provider.Kind, status int) {
	t.Helper()
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want *provider.Error %s/%d, got %v", kind, status, err)
	}
	if pe.Kind != kind || (status != 0 && pe.Status != status) {
		t.Fatalf("want %s HTTP %d, got %s HTTP %d (%v)", kind, status, pe.Kind, pe.Status, err)
	}
	if status != 0 && (kind == provider.KindDeclined || kind == provider.KindFailed) && pe.Code != strconv.Itoa(status) {
		t.Fatalf("want code %d, got %q", status, pe.Code)
	}
}

// status returns the HTTP status of a *provider.Error (200 for nil).
func status(err error) int {
	if err == nil {
		return 200
	}
	var pe *provider.Error
	if errors.As(err, &pe) {
		return pe.Status
	}
	return -1
}
