package onepipe

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/provider"
)

var ctx = context.Background()

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// consent runs consent and OTP validation and returns the validated result.
func (b *bundle) consent(t *testing.T, requestType string) (string, *Result) {
	t.Helper()
	txRef := ref("consent")
	r := must(t)(b.client.Consent(ctx, Consent{RequestRef: ref("req"), TransactionRef: txRef,
		RequestType: requestType, AuthType: AuthBankAccount, Secure: BankAccountSecure("0001131256", "000016"),
		Amount: dec("1.00"), Customer: uju}))
	if r.Status != StatusWaitingForOTP || r.Code != CodeWaitingForOTP {
		t.Fatalf("consent = %+v, want WaitingForOTP/T0", r)
	}
	return txRef, must(t)(b.client.Validate(ctx, ref("req"), txRef, onepipesim.DefaultSimOTP))
}

func (b *bundle) hold(t *testing.T, token, amount string) (string, *Result) {
	t.Helper()
	txRef := ref("hold")
	return txRef, must(t)(b.client.Hold(ctx, Hold{RequestRef: ref("req"), TransactionRef: txRef,
		Token: token, Amount: dec(amount), Customer: uju}))
}

func TestConsentOTPTokenHoldRelease(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	_, v := b.consent(t, RequestHoldFunds)
	if v.Status != StatusSuccessful || v.ProviderToken == "" {
		t.Fatalf("validate = %+v, want Successful with a token", v)
	}
	if !v.TokenExpiry.Equal(t0.Add(onepipesim.DefaultTokenTTL)) || !v.HoldExpiry.Equal(t0.Add(onepipesim.DefaultHoldTTL)) {
		t.Fatalf("expiries = %v / %v", v.TokenExpiry, v.HoldExpiry)
	}
	holdRef, h := b.hold(t, v.ProviderToken, "250.00")
	if h.Status != StatusSuccessful || h.TransactionStatus != StateHeld || !h.HoldExpiry.Equal(t0.Add(onepipesim.DefaultHoldTTL)) {
		t.Fatalf("hold = %+v", h)
	}
	rel := must(t)(b.client.Release(ctx, ref("req"), holdRef))
	if rel.Status != StatusSuccessful || rel.TransactionStatus != StateReleased {
		t.Fatalf("release = %+v", rel)
	}
	q := must(t)(b.client.Query(ctx, ref("req"), holdRef))
	if q.TransactionStatus != StateReleased || !q.Amount.Equal(dec("250")) {
		t.Fatalf("query = %+v", q)
	}
	again := must(t)(b.client.Release(ctx, ref("req"), holdRef))
	if again.Status != StatusSuccessful || again.TransactionStatus != StateReleased {
		t.Fatalf("second release = %+v", again)
	}
	_, err := b.client.Capture(ctx, Capture{RequestRef: ref("req"), TransactionRef: ref("cap"),
		HoldRef: holdRef, Token: v.ProviderToken, Amount: dec("1")})
	wantErr(t, err, provider.KindDeclined, CodeInvalidState)
}

func TestHoldCapture(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	_, v := b.consent(t, RequestHoldFunds)
	holdRef, _ := b.hold(t, v.ProviderToken, "250.00")
	capture := func(amount string) (*Result, error) {
		return b.client.Capture(ctx, Capture{RequestRef: ref("req"), TransactionRef: ref("cap"),
			HoldRef: holdRef, Token: v.ProviderToken, Amount: dec(amount)})
	}
	_, err := capture("250.01")
	wantErr(t, err, provider.KindDeclined, CodeInvalidAmount)
	c := must(t)(capture("200.00"))
	if c.Status != StatusSuccessful || c.TransactionStatus != StateCollected {
		t.Fatalf("capture = %+v", c)
	}
	if q := must(t)(b.client.Query(ctx, ref("req"), holdRef)); q.TransactionStatus != StateCaptured {
		t.Fatalf("hold after capture = %+v", q)
	}
	_, err = capture("1.00")
	wantErr(t, err, provider.KindDeclined, CodeInvalidState)
	_, err = b.client.Release(ctx, ref("req"), holdRef)
	wantErr(t, err, provider.KindDeclined, CodeInvalidState)
	_, err = b.client.Capture(ctx, Capture{RequestRef: ref("req"), TransactionRef: ref("cap"),
		HoldRef: "no-such-hold", Token: v.ProviderToken, Amount: dec("1")})
	wantErr(t, err, provider.KindDeclined, CodeNotFound)
}
