package onoconnect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/onoconnect/onoconnectsim"
	"github.com/switchyard/switchyard/workers/provider"
)

const (
	testMerchant = "e2c826cb-26da-4527-9d85-8d81bff25705"
	testTimeout  = 200 * time.Millisecond
	testPAN      = "4111111111111111"
)

var fixedNow = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// bundle is what a test needs: a simulator behind a real HTTP server and a
// client pointed at it.
type bundle struct {
	sim    *onoconnectsim.Simulator
	srv    *httptest.Server
	client *Client
	cred   Credentials
	t      testing.TB
}

func setup(t testing.TB, opts onoconnectsim.Options) *bundle {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	if opts.NewID == nil {
		opts.NewID = seqIDs()
	}
	sim := onoconnectsim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	return &bundle{sim: sim, srv: srv, client: NewClient(srv.URL, testTimeout),
		cred: Credentials{MerchantID: testMerchant, TransactionToken: "tok-test"}, t: t}
}

// seqIDs generates deterministic UUID-shaped ids.
func seqIDs() func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n.Add(1)) }
}

func chargeReq(ref string, amount int64) ChargeRequest {
	return ChargeRequest{
		MerchantID: testMerchant, AmountInCents: amount, Currency: "zar", ClientTransactionID: ref,
		PaymentMethodInfo: json.RawMessage(`{"type":"card","cardNumber":"` + testPAN + `","cvv":"123"}`),
		DeviceInfo:        json.RawMessage(`{"terminalId":"T1"}`),
		AppInfo:           json.RawMessage(`{"name":"pos","version":"1.0"}`),
		Metadata:          map[string]string{"order": ref},
	}
}

// wantKind fails the test unless err is a *provider.Error of kind k (or nil
// when k is 0), with the given code when code is not empty.
func wantKind(t *testing.T, err error, k provider.Kind, code string) {
	t.Helper()
	if k == 0 {
		if err != nil {
			t.Fatalf("want no error, got %v", err)
		}
		return
	}
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want *provider.Error of kind %v, got %v", k, err)
	}
	if pe.Kind != k {
		t.Fatalf("want kind %v, got %v (%v)", k, pe.Kind, err)
	}
	if code != "" && pe.Code != code {
		t.Fatalf("want code %q, got %q (%v)", code, pe.Code, err)
	}
}

// mustCharge makes an approved charge and returns its transactionId.
func (b *bundle) mustCharge(t *testing.T, ref string) string {
	t.Helper()
	resp, err := b.client.Charge(t.Context(), b.cred, chargeReq(ref, 1000))
	if err != nil {
		t.Fatalf("charge: %v", err)
	}
	return resp.TransactionID
}

// ctx is the context of the test the bundle was last bound to.
func (b *bundle) ctx() context.Context { return b.t.Context() }

// arm posts a fault to the simulator's /_sim/faults knob, over HTTP.
func (b *bundle) arm(fault string) {
	b.t.Helper()
	resp, err := http.Post(b.srv.URL+"/_sim/faults", "application/json", strings.NewReader(fault))
	if err != nil {
		b.t.Fatalf("arm fault: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b.t.Fatalf("arm fault: HTTP %d", resp.StatusCode)
	}
}
