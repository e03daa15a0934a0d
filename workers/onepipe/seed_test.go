package onepipe

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/provider"
)

// seedRequest is Request 1 of the seed, un-garbled: a consent to hold 100.00
// naira (10000 kobo) from a bank account.
func seedRequest(txRef string) *Request {
	return &Request{
		RequestRef:  ref("req"),
		RequestType: RequestHoldFunds,
		Auth: Auth{Type: AuthBankAccount, AuthProvider: "Beeceptor",
			Secure: EncryptSecure(onepipesim.DefaultSimSecret, BankAccountSecure("3056433222", "000016"))},
		Transaction: Transaction{MockMode: "live", TransactionRef: txRef, TransactionDesc: "A random transaction",
			Amount: 10000, Customer: uju,
			Meta: map[string]string{"a_key": "a_meta_value_1", "another_key": "a_meta_value_2"}},
	}
}

// TestSeedTransact runs the seed's consent request and its variations
// through the client's low-level Do, in order, against one simulator.
func TestSeedTransact(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	tests := []struct {
		name     string
		edit     func(r *Request)
		status   Status
		code     string
		wantKind provider.Kind
	}{
		{"seed bank.account hold", func(*Request) {}, StatusWaitingForOTP, CodeWaitingForOTP, 0},
		{"card collect", func(r *Request) {
			r.RequestType, r.Auth.Type = RequestCollect, AuthCard
			r.Auth.Secure = EncryptSecure(onepipesim.DefaultSimSecret, CardSecure("5061040000000000215", "123", "1226", "1234"))
		}, StatusWaitingForOTP, CodeWaitingForOTP, 0},
		{"wallet", func(r *Request) {
			r.Auth.Type, r.Auth.Secure = AuthWallet, EncryptSecure(onepipesim.DefaultSimSecret, "wallet-0803")
		}, StatusWaitingForOTP, CodeWaitingForOTP, 0},
		{"duplicate transaction_ref", func(r *Request) { r.Transaction.TransactionRef = "seed-dup" },
			StatusFailed, CodeDuplicate, provider.KindDeclined},
		{"auth.type cash not offered", func(r *Request) { r.Auth.Type = "cash" }, StatusFailed, CodeNotPermitted, provider.KindDeclined},
		{"request_type garbled", func(r *Request) { r.RequestType = "collecthold_funds" }, StatusFailed, CodeNotPermitted, provider.KindDeclined},
		{"zero amount", func(r *Request) { r.Transaction.Amount = 0 }, StatusFailed, CodeInvalidAmount, provider.KindDeclined},
		{"insufficient funds (amount ends in 51 kobo)", func(r *Request) { r.Transaction.Amount = 5151 },
			StatusFailed, CodeInsufficientFunds, provider.KindDeclined},
		{"secure not encrypted", func(r *Request) { r.Auth.Secure = "3056433222;000016" }, StatusFailed, CodeFormat, provider.KindDeclined},
		{"secure wrong shape", func(r *Request) { r.Auth.Secure = EncryptSecure(onepipesim.DefaultSimSecret, "3056433222") },
			StatusFailed, CodeFormat, provider.KindDeclined},
	}
	must(t)(b.client.Consent(ctx, Consent{RequestRef: ref("req"), TransactionRef: "seed-dup",
		AuthType: AuthWallet, Secure: "w", Amount: dec("1")}))
	for _, tt := range tests {
		req := seedRequest(ref("seed"))
		tt.edit(req)
		resp, err := b.client.Do(ctx, "consent", PathTransact, req)
		if tt.wantKind == 0 && err != nil || tt.wantKind != 0 && provider.KindOf(err) != tt.wantKind {
			t.Errorf("%s: err = %v, want kind %v", tt.name, err, tt.wantKind)
			continue
		}
		if resp == nil || Status(resp.Status) != tt.status || resp.Data.ProviderResponseCode != tt.code {
			t.Errorf("%s: resp = %+v, want %s/%s", tt.name, resp, tt.status, tt.code)
		}
	}
}

func TestSeedResponseShape(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	resp, err := b.client.Do(ctx, "consent", PathTransact, seedRequest(ref("seed")))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Message != "Please enter the OTP sent to 234802****32" || resp.Data.Provider != "Beeceptor" {
		t.Fatalf("resp = %+v", resp)
	}
}

func TestUnauthorizedAndMalformed(t *testing.T) {
	t.Parallel()
	b := setup(t, onepipesim.Options{})
	bad, err := NewClient(Config{BaseURL: b.srv.URL, APIKey: "wrong", Secret: onepipesim.DefaultSimSecret})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Query(ctx, ref("req"), "x")
	wantErr(t, err, provider.KindFailed, CodeUnauthorized)
	badSig, _ := NewClient(Config{BaseURL: b.srv.URL, APIKey: onepipesim.DefaultSimAPIKey, Secret: "wrong"})
	_, err = badSig.Query(ctx, ref("req"), "x")
	wantErr(t, err, provider.KindFailed, CodeUnauthorized)

	body, _ := json.Marshal(map[string]any{"request_ref": "r", "transaction": map[string]any{"amount": 1.5}})
	req, _ := http.NewRequest(http.MethodPost, b.srv.URL+PathTransact, bytes.NewReader(body))
	req.Header.Set(HeaderAuthorization, "Bearer "+onepipesim.DefaultSimAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("fractional minor amount: HTTP %d, want 400", resp.StatusCode)
	}
}
