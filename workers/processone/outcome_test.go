package processone

import (
	"net"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/simulator"
)

func wantKind(t *testing.T, err error, kind provider.Kind) {
	t.Helper()
	if got := provider.KindOf(err); got != kind {
		t.Fatalf("kind %v (err %v), want %v", got, err, kind)
	}
}

func TestOutcomeClassification(t *testing.T) {
	t.Parallel()
	const path = "/api/CreditCard/Charge"
	cases := []struct {
		name   string
		fault  simulator.Fault
		number string
		kind   provider.Kind
		code   ResponseCode
		landed bool // the charge exists at the provider afterwards
	}{
		{"delay past time-out", simulator.Fault{Path: path, DelayMS: 1000}, "4111111111111111", provider.KindUnknown, "", true},
		{"drop after acting", simulator.Fault{Path: path, Drop: true}, "4111111111111111", provider.KindUnknown, "", true},
		{"lost request", simulator.Fault{Path: path, Lose: true}, "4111111111111111", provider.KindUnknown, "", false},
		{"504", simulator.Fault{Path: path, Status: 504}, "4111111111111111", provider.KindUnknown, "", false},
		{"503", simulator.Fault{Path: path, Status: 503}, "4111111111111111", provider.KindUnknown, "", false},
		{"500", simulator.Fault{Path: path, Status: 500}, "4111111111111111", provider.KindFailed, "", false},
		{"decline", simulator.Fault{}, "4444444444444141", provider.KindDeclined, CodeDeclined, true},
		{"cvv", simulator.Fault{}, "4444444444444133", provider.KindDeclined, CodeIncorrectValidationValue, true},
		{"system down", simulator.Fault{}, "4444444444444174", provider.KindFailed, CodeGatewayInternalError, true},
		{"no processor response", simulator.Fault{}, "4444444444444273", provider.KindUnknown, CodeNoProcessorResponse, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, SimOptions{})
			b.sim.Harness().Lost = 2 * time.Second
			if tc.fault.Path != "" {
				b.sim.Harness().Arm(tc.fault)
			}
			_, err := b.charge(t, tc.number, "10.00", "cb-"+tc.name)
			wantKind(t, err, tc.kind)
			if CodeOf(err) != tc.code {
				t.Fatalf("code %q, want %q", CodeOf(err), tc.code)
			}
			// Did it land? Ask by CallbackId before anything else.
			got, err := b.client.TransactionGetByCallbackID(b.ctx, &GetTransactionByCallbackIDRequest{CallbackID: "cb-" + tc.name})
			if !tc.landed {
				if !IsNotFound(err) {
					t.Fatalf("lookup: %v, want not found", err)
				}
				return
			}
			mustOK(t, err)
			want := StatusSuccessful
			if tc.code != "" {
				want = StatusFailed
			}
			if got.TransactionInformation.TransactionStatus != want {
				t.Fatalf("landed with status %d, want %d", got.TransactionInformation.TransactionStatus, want)
			}
		})
	}
}

func TestConnectionRefusedIsFailed(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := NewClient(Config{BaseURL: "http://" + addr, AuthenticationKey: "k", Timeout: 200 * time.Millisecond})
	mustOK(t, err)
	_, err = c.CreditCardCharge(t.Context(), &ChargeCreditCardRequest{Amount: dollars("1.00"), CreditCard: card("4111111111111111")})
	wantKind(t, err, provider.KindFailed)
}

// TestDroppedChargeThenLookup is the recovery path: the answer to a charge is
// lost, the lookup by CallbackId shows it landed, so no second charge is made.
func TestDroppedChargeThenLookup(t *testing.T) {
	t.Parallel()
	b := setup(t, SimOptions{})
	b.sim.Harness().Arm(simulator.Fault{Path: "/api/CreditCard/Charge", Drop: true})
	_, err := b.charge(t, "4111111111111111", "75.25", "order-42-attempt-1")
	if !provider.IsUnknown(err) {
		t.Fatalf("want unknown, got %v", err)
	}
	got, err := b.client.TransactionGetByCallbackID(b.ctx, &GetTransactionByCallbackIDRequest{CallbackID: "order-42-attempt-1"})
	mustOK(t, err)
	ti := got.TransactionInformation
	if ti.TransactionStatus != StatusSuccessful || !ti.OriginalAmount.Equal(dollars("75.25").Decimal) || ti.LastFourDigits != "1111" {
		t.Fatalf("landed transaction %+v", ti)
	}
	// A blind retry with the same CallbackId is refused, not charged twice.
	_, err = b.charge(t, "4111111111111111", "75.25", "order-42-attempt-1")
	wantCode(t, err, CodeDuplicateTransaction)
	n := b.sim.Harness().Log().Count("POST", "/api/CreditCard/Charge")
	if n != 2 {
		t.Fatalf("%d charge requests logged", n)
	}
}

func TestAuthenticationKey(t *testing.T) {
	t.Parallel()
	b := setup(t, SimOptions{AuthenticationKeys: []string{"good", "off"}, DisabledKeys: []string{"off"}})
	_, err := b.client.HealthCheck(b.ctx) // the client's key is test-key
	wantCode(t, err, CodeInvalidAuthenticationKey)
	wantKind(t, err, provider.KindFailed)
	for key, code := range map[string]ResponseCode{"good": CodeSuccess, "off": CodeMerchantDisabled, "": CodeInvalidAuthenticationKey} {
		c, _ := NewClient(Config{BaseURL: b.srv.URL, AuthenticationKey: key, Timeout: time.Second})
		resp, err := c.HealthCheck(b.ctx)
		wantCode(t, err, code)
		if code == CodeSuccess && !resp.IsAlive {
			t.Fatal("not alive")
		}
	}
}

func TestMalformedBodyIs400(t *testing.T) {
	t.Parallel()
	b := setup(t, SimOptions{})
	r, err := b.client.Caller().Do(b.ctx, "raw", "POST", "/api/CreditCard/Charge", map[string]any{"Amount": "x"}, nil)
	mustOK(t, err)
	if r.Status != 400 {
		t.Fatalf("status %d", r.Status)
	}
	r, err = b.client.Caller().Do(b.ctx, "raw", "POST", "/api/Nope", struct{}{}, nil)
	mustOK(t, err)
	if r.Status != 404 {
		t.Fatalf("status %d", r.Status)
	}
}
