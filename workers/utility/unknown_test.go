package utility

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/simulator"
)

// TestOutcomeClassification: which errors may have vended and which did not.
func TestOutcomeClassification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault simulator.Fault
		kind  provider.Kind
		code  string
	}{
		{"delay past time-out", simulator.Fault{DelayMS: 1500}, provider.KindUnknown, ""},
		{"drop after acting", simulator.Fault{Drop: true}, provider.KindUnknown, ""},
		{"lost", simulator.Fault{Lose: true}, provider.KindUnknown, ""},
		{"503", simulator.Fault{Status: 503}, provider.KindUnknown, ""},
		{"504", simulator.Fault{Status: 504}, provider.KindUnknown, ""},
		{"500", simulator.Fault{Status: 500}, provider.KindUnknown, ""},
		{"502", simulator.Fault{Status: 502}, provider.KindUnknown, ""},
		{"501", simulator.Fault{Status: 501}, provider.KindFailed, ""},
		{"401", simulator.Fault{Status: 401}, provider.KindFailed, ""},
		{"400 with code", simulator.Fault{Status: 400, Body: `{"errorType":"METER_BLOCKED"}`}, provider.KindDeclined, "METER_BLOCKED"},
		{"404 without code", simulator.Fault{Status: 404, Body: "not found"}, provider.KindFailed, ""},
		{"201 without tokens", simulator.Fault{Status: 201, Body: `{}`}, provider.KindUnknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			f := tt.fault
			f.Path = "/tokenPurchases/"
			b.sim.Harness().Arm(f)
			start := time.Now()
			_, err := b.client.Purchase(context.Background(), newRequest("01000000000", 5000))
			assertKind(t, err, tt.kind, tt.code)
			if d := time.Since(start); d > testTimeout+time.Second {
				t.Errorf("call took %v, time-out not applied", d)
			}
		})
	}
}

func TestDeclineByProvider(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.client.Purchase(context.Background(), newRequest("02000000001", 5000))
	assertKind(t, err, provider.KindDeclined, ErrMeterBlocked)
	if !provider.IsDeclined(err) || provider.IsUnknown(err) {
		t.Fatal("helpers disagree")
	}
}

func TestConnectionRefusedIsFailed(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	c, err := NewClient(Config{BaseURL: "http://" + addr, Credentials: Credentials{ClientID: "a", APIKey: "b"}, Timeout: testTimeout})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Purchase(context.Background(), newRequest("01000000000", 5000))
	assertKind(t, err, provider.KindFailed, "")
	err = c.Confirm(context.Background(), newRequest("", 1).ID, ConfirmationAdvice{Advice: Advice{ID: "c1"}})
	assertKind(t, err, provider.KindFailed, "")
}

func TestWrongCredentialsFail(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c, err := NewClient(Config{BaseURL: b.srv.URL, Credentials: Credentials{ClientID: testClientID, APIKey: "wrong"}, Timeout: testTimeout})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Purchase(context.Background(), newRequest("01000000000", 5000))
	assertKind(t, err, provider.KindFailed, ErrAuth)
	if _, err := NewClient(Config{BaseURL: b.srv.URL}); err == nil {
		t.Fatal("NewClient without credentials succeeded")
	}
}

func TestInvalidIDNotSent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := newRequest("01000000000", 5000)
	req.ID = "a/b"
	_, err := b.client.Purchase(context.Background(), req)
	assertKind(t, err, provider.KindFailed, "")
	if n := len(b.sim.Harness().Log().Entries()); n != 0 {
		t.Fatalf("%d requests reached the simulator", n)
	}
}

// TestCredentialsNeverLogged: the headers carry them, the logs and the
// simulator's request log do not.
func TestCredentialsNeverLogged(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.sim.Harness().Arm(simulator.Fault{Path: "/tokenPurchases/", Status: 503})
	_, _ = b.client.Purchase(context.Background(), newRequest("01000000000", 5000))
	_, _ = b.client.Purchase(context.Background(), newRequest("01000000000", 5000))
	logs := b.logs.String()
	if !strings.Contains(logs, "utility call") {
		t.Fatalf("nothing logged: %q", logs)
	}
	creds := Credentials{ClientID: testClientID, APIKey: testAPIKey}
	for _, s := range []string{logs, creds.String(), creds.GoString(), creds.LogValue().String()} {
		if strings.Contains(s, testAPIKey) || strings.Contains(s, testClientID) {
			t.Fatalf("credential leaked: %q", s)
		}
	}
}

func postJSON(t *testing.T, url, body string, want int) {
	t.Helper()
	doReq(t, http.MethodPost, url, body, want)
}

func doReq(t *testing.T, method, url, body string, want int) []byte {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %d %s, want %d", method, url, resp.StatusCode, b, want)
	}
	return b
}
