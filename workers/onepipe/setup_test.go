package onepipe

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/provider"
)

var t0 = time.Date(2025, 2, 25, 15, 43, 18, 0, time.UTC)

// testTimeout is the client time-out in tests.
const testTimeout = 200 * time.Millisecond

type bundle struct {
	sim    *onepipesim.Simulator
	srv    *httptest.Server
	client *Client
}

func setup(t *testing.T, opts onepipesim.Options) *bundle {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	sim := onepipesim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{BaseURL: srv.URL, APIKey: onepipesim.DefaultSimAPIKey, Secret: onepipesim.DefaultSimSecret,
		Timeout: testTimeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Caller().HTTP.CloseIdleConnections)
	return &bundle{sim: sim, srv: srv, client: c}
}

var refSeq atomic.Int64

func ref(prefix string) string { return fmt.Sprintf("%s-%d", prefix, refSeq.Add(1)) }

var uju = &Customer{CustomerRef: "cust-1", Firstname: "Uju", Surname: "Usmanu",
	Email: "ujuusmanu@gmail.com", MobileNo: "234802343132"}

// wantErr checks err is a *provider.Error of kind with code (when code != "").
func wantErr(t *testing.T, err error, kind provider.Kind, code string) *provider.Error {
	t.Helper()
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v (%T), want *provider.Error %s", err, err, kind)
	}
	if pe.Kind != kind || (code != "" && pe.Code != code) {
		t.Fatalf("err = %v, want kind %s code %q", err, kind, code)
	}
	return pe
}

// must(t)(call()) fails the test when call returned an error.
func must(t *testing.T) func(*Result, error) *Result {
	t.Helper()
	return func(r *Result, err error) *Result {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return r
	}
}

// simNow reads the simulator's clock from GET /_sim/config.
func (b *bundle) simNow(t *testing.T) string {
	t.Helper()
	resp, err := http.Get(b.srv.URL + "/_sim/config")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Now string `json:"now"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v.Now
}
