package paycode

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
	"github.com/switchyard/switchyard/workers/provider"
)

// callbackServer collects the notifications it receives.
func callbackServer(t *testing.T, status int) (*httptest.Server, chan []byte) {
	t.Helper()
	got := make(chan []byte, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("callback %s %s", r.Method, r.Header.Get("Content-Type"))
		}
		b, _ := io.ReadAll(r.Body)
		got <- b
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func (b *bundle) control(t *testing.T, path, body string) (int, []byte) {
	t.Helper()
	resp, err := http.Post(b.srv.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func TestPayAndCallback(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cb, got := callbackServer(t, http.StatusOK)
	if st, body := b.control(t, "/_sim/config", `{"callback_url":"`+cb.URL+`"}`); st != 200 {
		t.Fatalf("config %d %s", st, body)
	}
	code := b.create(t, func(r *CreateRequest) {
		r.Amount, r.RRN2, r.SubMerchantName, r.TerminalID = dec("10.50"), "000000000042", "The Shop", "0000KFB1"
	})
	st, body := b.control(t, "/_sim/pay", `{"code":"`+code+`","amount":10.50}`)
	if st != 200 {
		t.Fatalf("pay %d %s", st, body)
	}
	var res paycodesim.PayResult
	if err := json.Unmarshal(body, &res); err != nil || res.Callback == nil || res.Callback.Status != 200 {
		t.Fatalf("pay answer %s: %v", body, err)
	}
	var raw []byte
	select {
	case raw = <-got: // delivered before the control call answered
	default:
		t.Fatal("no callback received")
	}
	if !strings.Contains(string(raw), `"amount":10.50`) {
		t.Errorf("amount not a bare number: %s", raw)
	}
	n, err := ParseNotification(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := Notification{Type: EventCodePaid, TransactionID: "pay-1", Code: code, MerchantReference: "TestMerchRef12",
		MerchantName: "Merchant One", Currency: "ZAR", UseOnce: true, CodeStatus: paycodesim.CodeUsed, RRN: "000000000001",
		RRN2: "000000000042", SubMerchantName: "The Shop", TerminalID: "0000KFB1", PaidAt: t0.UnixMilli()}
	if !n.Amount.Equal(dec("10.50")) || !n.Tip.IsZero() {
		t.Fatalf("amounts %s %s", n.Amount, n.Tip)
	}
	n.Amount, n.Tip = want.Amount, want.Tip
	if *n != want {
		t.Fatalf("notification\n got %+v\nwant %+v", *n, want)
	}
	// Use-once: the second payment is refused and nothing is sent.
	if st, body := b.control(t, "/_sim/pay", `{"code":`+code+`}`); st != http.StatusConflict {
		t.Fatalf("second pay %d %s", st, body)
	}
	if len(got) != 0 {
		t.Fatal("callback for a refused payment")
	}
	if d, _ := b.client.Get(context.Background(), code); d.Status != paycodesim.CodeUsed {
		t.Fatalf("status %s", d.Status)
	}
	err = b.client.Block(context.Background(), code)
	wantErr(t, err, provider.KindDeclined, 439)
}

func TestPayReusable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	code := b.create(t, func(r *CreateRequest) { r.UseOnce = Bool(false) })
	for i := range 3 {
		res, err := b.sim.Pay(ctx, paycodesim.PayRequest{Code: code})
		if err != nil || res.Notification.CodeStatus != paycodesim.CodeActive || res.Callback != nil {
			t.Fatalf("pay %d: %+v %v", i, res, err)
		}
	}
}

func TestPayCallbackRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cb, got := callbackServer(t, http.StatusInternalServerError)
	b.sim.SetCallbackURL(cb.URL)
	code := b.create(t, nil)
	res, err := b.sim.Pay(context.Background(), paycodesim.PayRequest{Code: code})
	if err != nil || res.Callback.Status != 500 {
		t.Fatalf("%+v %v", res, err)
	}
	<-got
	// The payment stands although its notification was refused.
	if d, _ := b.client.Get(context.Background(), code); d.Status != paycodesim.CodeUsed {
		t.Fatalf("status %s", d.Status)
	}
}

func TestPayAmounts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	fixed := b.create(t, func(r *CreateRequest) { r.UseOnce = Bool(false) })
	variable := b.create(t, func(r *CreateRequest) { r.Amount = dec("0") })
	partial := b.create(t, func(r *CreateRequest) { r.RequestPartialPayment, r.UseOnce = true, Bool(false) })
	tipped := b.create(t, func(r *CreateRequest) {
		r.RequestPartialPayment, r.RequestTip, r.UseOnce = true, true, Bool(false)
	})
	tests := []struct {
		name, body string
		want       int
	}{
		{"unknown code", `{"code":"1000000000"}`, 404},
		{"no code", `{"amount":1}`, 400},
		{"not json", `{"code":`, 400},
		{"fixed, own amount", `{"code":"` + fixed + `"}`, 200},
		{"fixed, other amount", `{"code":"` + fixed + `","amount":9}`, 400},
		{"variable, no amount", `{"code":"` + variable + `"}`, 400},
		{"variable, negative", `{"code":"` + variable + `","amount":-2}`, 400},
		{"variable, amount", `{"code":"` + variable + `","amount":"12.34"}`, 200},
		{"partial, other amount", `{"code":"` + partial + `","amount":4}`, 200},
		{"partial, tip refused", `{"code":"` + partial + `","amount":4,"tip":1}`, 400},
		{"tip", `{"code":"` + tipped + `","amount":10,"tip":1.50}`, 200},
		{"negative tip", `{"code":"` + tipped + `","tip":-1}`, 400},
	}
	for _, tt := range tests {
		if st, body := b.control(t, "/_sim/pay", tt.body); st != tt.want {
			t.Errorf("%s: status %d, want %d: %s", tt.name, st, tt.want, body)
		}
	}
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	short := b.create(t, nil)
	never := b.create(t, func(r *CreateRequest) { r.ExpiryDate = NeverExpires() })
	b.sim.Advance(paycodesim.DefaultExpiry - time.Millisecond)
	if d, _ := b.client.Get(ctx, short); d.Status != paycodesim.CodeActive {
		t.Fatalf("before expiry: %s", d.Status)
	}
	// The clock knob moves past the default 30 minutes.
	if st, body := b.control(t, "/_sim/clock", `{"advance_ms":1}`); st != 200 {
		t.Fatalf("clock %d %s", st, body)
	}
	if d, _ := b.client.Get(ctx, short); d.Status != paycodesim.CodeExpired {
		t.Fatalf("after expiry: %s", d.Status)
	}
	if _, err := b.sim.Pay(ctx, paycodesim.PayRequest{Code: short}); status409(err) != nil {
		t.Fatal(status409(err))
	}
	wantErr(t, b.client.Block(ctx, short), provider.KindDeclined, 439)
	_, err := b.client.Update(ctx, short, updateRequest())
	wantErr(t, err, provider.KindDeclined, 439)
	b.sim.Advance(365 * 24 * time.Hour)
	if d, _ := b.client.Get(ctx, never); d.Status != paycodesim.CodeActive || d.ExpiryDate != 0 {
		t.Fatalf("never-expiring: %+v", d)
	}
	if _, err := b.client.Delete(ctx, short); err != nil {
		t.Fatalf("delete expired: %v", err)
	}
}

func TestSimConfigAndCodes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if st, _ := b.control(t, "/_sim/config", `{"callback_url":"ftp://x"}`); st != 400 {
		t.Fatalf("bad callback url accepted: %d", st)
	}
	if st, _ := b.control(t, "/_sim/config", `{"callback_url":"http://127.0.0.1:1/cb"}`); st != 200 {
		t.Fatal("config refused")
	}
	resp, err := http.Get(b.srv.URL + "/_sim/config")
	if err != nil {
		t.Fatal(err)
	}
	var cfg paycodesim.Config
	_ = json.NewDecoder(resp.Body).Decode(&cfg)
	resp.Body.Close()
	if cfg.CallbackURL == nil || *cfg.CallbackURL != "http://127.0.0.1:1/cb" {
		t.Fatalf("config %+v", cfg)
	}
	code := b.create(t, nil)
	// A callback that cannot be delivered is reported, the payment stands.
	res, err := b.sim.Pay(context.Background(), paycodesim.PayRequest{Code: code})
	if err != nil || res.Callback.Error == "" {
		t.Fatalf("%+v %v", res, err)
	}
	resp, err = http.Get(b.srv.URL + "/_sim/codes")
	if err != nil {
		t.Fatal(err)
	}
	var codes []map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&codes)
	resp.Body.Close()
	if len(codes) != 1 || codes[0]["status"] != paycodesim.CodeUsed {
		t.Fatalf("codes %v", codes)
	}
}
