package utility

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/provider/providertest"
	"github.com/switchyard/switchyard/workers/simulator"
)

// TestPurchaseOutcomes runs the shared outcome suite on a purchase. A vend
// may have issued tokens behind a 500, so 500 is unknown; 501 and 401 moved
// nothing.
func TestPurchaseOutcomes(t *testing.T) {
	t.Parallel()
	providertest.RunOutcomeSuite(t, providertest.Case{
		Path: "/tokenPurchases/", Timeout: testTimeout,
		Statuses: map[int]provider.Kind{500: provider.KindUnknown, 501: provider.KindFailed, 401: provider.KindFailed},
		Setup: func(t *testing.T) providertest.Rig {
			b := setup(t)
			req := newRequest("01000000000", 5000)
			return providertest.Rig{
				Harness: b.sim.Harness(),
				Call:    func(ctx context.Context) error { _, err := b.client.Purchase(ctx, req); return err },
				Landed: func(*testing.T) bool {
					st, ok := b.sim.Purchase(req.ID)
					return ok && st.Issued == 1
				},
			}
		},
		Refused: func(ctx context.Context, base string) error {
			c, err := refusedClient(base)
			if err != nil {
				return err
			}
			_, err = c.Purchase(ctx, newRequest("01000000000", 5000))
			return err
		},
	})
}

// TestConfirmOutcomes runs the suite on a confirmation advice: idempotent,
// so a 5xx asks for the same advice again later.
func TestConfirmOutcomes(t *testing.T) {
	t.Parallel()
	later := provider.KindRetryLater
	providertest.RunOutcomeSuite(t, providertest.Case{
		Path: "/tokenPurchases/*/confirmations/*", Timeout: testTimeout,
		Statuses: map[int]provider.Kind{500: later, 502: later, 503: later, 504: later},
		Setup: func(t *testing.T) providertest.Rig {
			b := setup(t)
			req := purchased(t, b, "01000000000")
			return providertest.Rig{
				Harness: b.sim.Harness(),
				Call:    func(ctx context.Context) error { return b.client.Confirm(ctx, req.ID, confirmation("c-1")) },
				Landed: func(*testing.T) bool {
					st, _ := b.sim.Purchase(req.ID)
					return st.Confirmations == 1
				},
			}
		},
		Refused: func(ctx context.Context, base string) error {
			c, err := refusedClient(base)
			if err != nil {
				return err
			}
			return c.Confirm(ctx, newRequest("", 1).ID, confirmation("c1"))
		},
	})
}

func refusedClient(base string) (*Client, error) {
	return NewClient(Config{BaseURL: base, Credentials: Credentials{ClientID: "a", APIKey: "b"}, Timeout: testTimeout})
}

// TestPurchaseAnswerOutcomes: answers whose kind depends on their body.
func TestPurchaseAnswerOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault simulator.Fault
		kind  provider.Kind
		code  string
	}{
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
			_, err := b.client.Purchase(context.Background(), newRequest("01000000000", 5000))
			assertKind(t, err, tt.kind, tt.code)
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
