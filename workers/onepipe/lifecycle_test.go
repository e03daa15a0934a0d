package onepipe

import (
	"bytes"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/provider"
)

// postConfig sets knobs over HTTP, the way a merchant would with curl.
func (b *bundle) postConfig(t *testing.T, body string) {
	t.Helper()
	resp, err := http.Post(b.srv.URL+"/_sim/config", "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /_sim/config %s: HTTP %d", body, resp.StatusCode)
	}
}

func TestExpiredToken(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	b.postConfig(t, `{"token_ttl_seconds":60}`)
	_, v := b.consent(t, RequestCollect)
	if !v.TokenExpiry.Equal(t0.Add(time.Minute)) || !v.HoldExpiry.IsZero() {
		t.Fatalf("collect consent = %+v", v)
	}
	b.hold(t, v.ProviderToken, "10.00") // still valid at t0
	b.sim.Advance(time.Minute)
	_, err := b.client.Hold(ctx, Hold{RequestRef: ref("req"), TransactionRef: ref("hold"),
		Token: v.ProviderToken, Amount: dec("10.00")})
	wantErr(t, err, provider.KindDeclined, CodeExpired)
	_, err = b.client.Hold(ctx, Hold{RequestRef: ref("req"), TransactionRef: ref("hold"),
		Token: "tok-forged", Amount: dec("10.00")})
	wantErr(t, err, provider.KindDeclined, CodeInvalidToken)
}

func TestExpiredHold(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{HoldTTL: time.Hour})
	_, v := b.consent(t, RequestHoldFunds)
	holdRef, h := b.hold(t, v.ProviderToken, "99.99")
	if !h.HoldExpiry.Equal(t0.Add(time.Hour)) {
		t.Fatalf("hold expiry = %v", h.HoldExpiry)
	}
	b.sim.Advance(time.Hour)
	_, err := b.client.Capture(ctx, Capture{RequestRef: ref("req"), TransactionRef: ref("cap"),
		HoldRef: holdRef, Token: v.ProviderToken, Amount: dec("1.00")})
	wantErr(t, err, provider.KindDeclined, CodeExpired)
	if q := must(t)(b.client.Query(ctx, ref("req"), holdRef)); q.TransactionStatus != StateExpired {
		t.Fatalf("query expired hold = %+v", q)
	}
	if r := must(t)(b.client.Release(ctx, ref("req"), holdRef)); r.TransactionStatus != StateExpired {
		t.Fatalf("release expired hold = %+v", r)
	}
}

func TestRequestRefReplay(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	_, v := b.consent(t, RequestHoldFunds)
	req := Hold{RequestRef: ref("req"), TransactionRef: ref("hold"), Token: v.ProviderToken, Amount: dec("5.00")}
	first := must(t)(b.client.Hold(ctx, req))
	req.TransactionRef = ref("hold") // a different body under the same request_ref
	second := must(t)(b.client.Hold(ctx, req))
	if first.Reference == "" || second.Reference != first.Reference || !second.HoldExpiry.Equal(first.HoldExpiry) {
		t.Fatalf("replay = %+v, want the original %+v", second, first)
	}
	_, err := b.client.Query(ctx, ref("req"), req.TransactionRef)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("the replayed body must not act; query err = %v", err)
	}
	if n := b.sim.Harness().Log().Count(http.MethodPost, PathTransact); n != 3 {
		t.Fatalf("transact calls logged = %d, want 3 (consent, hold, replay)", n)
	}
}

func TestWrongOTP(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	txRef := ref("consent")
	must(t)(b.client.Consent(ctx, Consent{RequestRef: ref("req"), TransactionRef: txRef, AuthType: AuthWallet,
		Secure: "wallet-42", Amount: dec("1.00"), Customer: uju}))
	validateRef := ref("req")
	_, err := b.client.Validate(ctx, validateRef, txRef, "654321")
	wantErr(t, err, provider.KindDeclined, CodeWrongOTP)
	_, err = b.client.Validate(ctx, validateRef, txRef, onepipesim.DefaultSimOTP) // replay: the original answer
	wantErr(t, err, provider.KindDeclined, CodeWrongOTP)
	_, err = b.client.Validate(ctx, ref("req"), txRef, onepipesim.DefaultSimOTP)
	wantErr(t, err, provider.KindDeclined, CodeInvalidState)
	_, err = b.client.Query(ctx, ref("req"), txRef)
	wantErr(t, err, provider.KindDeclined, CodeWrongOTP)
	_, err = b.client.Validate(ctx, ref("req"), "no-such-consent", onepipesim.DefaultSimOTP)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("validate unknown = %v", err)
	}
}

func TestConsentKnobs(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	consent := func() *Result {
		return must(t)(b.client.Consent(ctx, Consent{RequestRef: ref("req"), TransactionRef: ref("consent"),
			AuthType: AuthCard, Secure: CardSecure("5061040000000000215", "123", "1226", "1234"),
			Amount: dec("1.00"), Customer: uju}))
	}
	b.postConfig(t, `{"consent_status":"PendingValidation"}`)
	if r := consent(); r.Status != StatusPendingValidation || r.Code != CodePendingValidation {
		t.Fatalf("consent = %+v, want PendingValidation", r)
	}
	b.postConfig(t, `{"otp_override":true}`)
	if r := consent(); r.Status != StatusSuccessful || r.ProviderToken == "" {
		t.Fatalf("consent with otp_override = %+v", r)
	}
	resp, err := http.Post(b.srv.URL+"/_sim/config", "application/json", bytes.NewBufferString(`{"consent_status":"Nope"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad consent_status: HTTP %d", resp.StatusCode)
	}
}

func TestQueryAndOptions(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	_, err := b.client.Query(ctx, ref("req"), "never-sent")
	pe := wantErr(t, err, provider.KindDeclined, CodeNotFound)
	if !errors.Is(pe, ErrNotFound) {
		t.Fatal("not found must wrap ErrNotFound")
	}
	txRef, v := b.consent(t, RequestHoldFunds)
	q := must(t)(b.client.Query(ctx, ref("req"), txRef))
	if q.Status != StatusSuccessful || q.TransactionStatus != StateHeld || q.ProviderToken != v.ProviderToken {
		t.Fatalf("query consent = %+v", q)
	}
	o := must(t)(b.client.Options(ctx, ref("req")))
	if len(o.Options) != 4 || o.Options[3] != AuthProviderToken {
		t.Fatalf("options = %+v", o.Options)
	}
	req, _ := http.NewRequest(http.MethodGet, b.srv.URL+PathOptions, nil)
	req.Header.Set(HeaderAuthorization, "Bearer "+onepipesim.DefaultSimAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET options: HTTP %d", resp.StatusCode)
	}
}

func TestClockAndStateKnobs(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	txRef, _ := b.consent(t, RequestHoldFunds)
	resp, err := http.Post(b.srv.URL+"/_sim/clock", "application/json", bytes.NewBufferString(`{"advance_seconds":3600}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if now := b.simNow(t); now != FormatExpiry(t0.Add(time.Hour)) {
		t.Fatalf("clock after advance = %s", now)
	}
	req, _ := http.NewRequest(http.MethodDelete, b.srv.URL+"/_sim/state", nil)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := b.client.Query(ctx, ref("req"), txRef); !errors.Is(err, ErrNotFound) {
		t.Fatalf("query after reset = %v", err)
	}
}
