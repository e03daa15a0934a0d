package processone

import (
	"context"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/processone/processonesim"
	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/provider/providertest"
	"github.com/switchyard/switchyard/workers/simulator"
)

func wantKind(t *testing.T, err error, kind provider.Kind) {
	t.Helper()
	if got := provider.KindOf(err); got != kind {
		t.Fatalf("kind %v (err %v), want %v", got, err, kind)
	}
}

// TestChargeOutcomes runs the shared outcome suite on a card charge; a
// lookup by CallbackId tells whether it landed.
func TestChargeOutcomes(t *testing.T) {
	t.Parallel()
	providertest.RunOutcomeSuite(t, providertest.Case{
		Path: "/api/CreditCard/Charge", Timeout: testTimeout,
		Setup: func(t *testing.T) providertest.Rig {
			b := setup(t, processonesim.Options{})
			return providertest.Rig{
				Harness: b.sim.Harness(),
				Call: func(ctx context.Context) error {
					_, err := b.client.CreditCardCharge(ctx, &ChargeCreditCardRequest{Amount: dollars("10.00"),
						CreditCard: card("4111111111111111"), ClientReferenceData: refs("POL-1"), CallbackID: optional("cb-1")})
					return err
				},
				Landed: func(t *testing.T) bool { return b.landed(t, "cb-1", StatusSuccessful) },
			}
		},
		Refused: func(ctx context.Context, base string) error {
			c, err := NewClient(Config{BaseURL: base, AuthenticationKey: "k", Timeout: testTimeout})
			if err != nil {
				return err
			}
			_, err = c.CreditCardCharge(ctx, &ChargeCreditCardRequest{Amount: dollars("1.00"), CreditCard: card("4111111111111111")})
			return err
		},
	})
}

// landed looks a charge up by CallbackId: true when it exists (with want
// status), false when the provider never received it.
func (b *bundle) landed(t *testing.T, callback string, want TransactionStatus) bool {
	t.Helper()
	got, err := b.client.TransactionGetByCallbackID(b.ctx, &GetTransactionByCallbackIDRequest{CallbackID: callback})
	if IsNotFound(err) {
		return false
	}
	mustOK(t, err)
	if st := got.TransactionInformation.TransactionStatus; st != want {
		t.Fatalf("landed with status %d, want %d", st, want)
	}
	return true
}

// TestChargeCodeOutcomes: the test cards' ResponseCodes and their kinds.
// The charge lands, failed, even when the issuer's answer is unknown.
func TestChargeCodeOutcomes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		number string
		kind   provider.Kind
		code   ResponseCode
	}{
		{"decline", "4444444444444141", provider.KindDeclined, CodeDeclined},
		{"cvv", "4444444444444133", provider.KindDeclined, CodeIncorrectValidationValue},
		{"system down", "4444444444444174", provider.KindFailed, CodeGatewayInternalError},
		{"no processor response", "4444444444444273", provider.KindUnknown, CodeNoProcessorResponse},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, processonesim.Options{})
			_, err := b.charge(t, tc.number, "10.00", "cb-1")
			wantKind(t, err, tc.kind)
			if CodeOf(err) != tc.code {
				t.Fatalf("code %q, want %q", CodeOf(err), tc.code)
			}
			if !b.landed(t, "cb-1", StatusFailed) {
				t.Fatal("the charge did not land")
			}
		})
	}
}

// TestDroppedChargeThenLookup is the recovery path: the answer to a charge is
// lost, the lookup by CallbackId shows it landed, so no second charge is made.
func TestDroppedChargeThenLookup(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
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
	b := setup(t, processonesim.Options{AuthenticationKeys: []string{"good", "off"}, DisabledKeys: []string{"off"}})
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
	b := setup(t, processonesim.Options{})
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
