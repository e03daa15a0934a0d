package paycode

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/simulator"
)

func updateRequest() UpdateRequest {
	return UpdateRequest{Amount: dec("10.5"), MerchantReference: "t0002", ShortDescription: "Samsung Galaxy S4"}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	code := b.create(t, nil)
	b.clock.mu.Lock()
	b.clock.now = t0.Add(10 * time.Minute)
	b.clock.mu.Unlock()
	req := updateRequest() // the seed's sample, with a future expiry
	req.ExpiryDate, req.UseOnce, req.ProductURL = ExpiresAt(t0.Add(2*time.Hour)), Bool(true), "https://shop.example/s4"
	d, err := b.client.Update(ctx, code, req)
	if err != nil {
		t.Fatal(err)
	}
	if d.AmountString != "R 10.50" || d.MerchantReference != "t0002" || d.ShortDescription != "Samsung Galaxy S4" ||
		d.ExpiryDate != t0.Add(2*time.Hour).UnixMilli() || d.ProductURL != "https://shop.example/s4" || !d.UseOnce {
		t.Fatalf("update answer: %+v", d)
	}
	// Amount left blank: variable; expiry left blank: 30 minutes from now.
	req = updateRequest()
	req.Amount = dec("0")
	d, err = b.client.Update(ctx, code, req)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Variable || d.AmountString != "" || d.ExpiryDate != t0.Add(40*time.Minute).UnixMilli() {
		t.Fatalf("variable update: %+v", d)
	}
}

func TestUpdateValidation(t *testing.T) {
	t.Parallel()
	basket := []BasketItem{{Destination: "27832006283", ItemType: ItemAirtime, Amount: dec("5")}}
	tests := []struct {
		name string
		mod  func(*UpdateRequest)
		want int
	}{
		{"sample", nil, 200},
		{"missing reference", func(r *UpdateRequest) { r.MerchantReference = "" }, 400},
		{"missing description", func(r *UpdateRequest) { r.ShortDescription = "" }, 400},
		{"short description", func(r *UpdateRequest) { r.ShortDescription = "abcd" }, 440},
		{"negative amount", func(r *UpdateRequest) { r.Amount = dec("-3") }, 440},
		{"past expiry", func(r *UpdateRequest) { r.ExpiryDate = ExpiresAt(t0.Add(-time.Minute)) }, 440},
		{"ftp product url", func(r *UpdateRequest) { r.ProductURL = "ftp://shop.example/x" }, 440},
		{"relative product url", func(r *UpdateRequest) { r.ProductURL = "/x.png" }, 440},
		{"http product url", func(r *UpdateRequest) { r.ProductURL = "http://shop.example/x" }, 200},
		{"basket use-once", func(r *UpdateRequest) { r.LimitBasket, r.UseOnce = basket, Bool(true) }, 200},
		{"basket reusable", func(r *UpdateRequest) { r.LimitBasket, r.UseOnce = basket, Bool(false) }, 440},
		{"basket variable", func(r *UpdateRequest) { r.LimitBasket, r.Amount = basket, dec("0") }, 440},
	}
	b := setup(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code := b.create(t, nil)
			req := updateRequest()
			if tt.mod != nil {
				tt.mod(&req)
			}
			_, err := b.client.Update(context.Background(), code, req)
			if got := status(err); got != tt.want {
				t.Fatalf("status %d, want %d (%v)", got, tt.want, err)
			}
		})
	}
	if st, body := b.raw(t, "PUT", "/code/"+b.create(t, nil), `{"merchantReference":`); st != 400 {
		t.Fatalf("bad JSON: %d %s", st, body)
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	code := b.create(t, nil)
	d, err := b.client.Delete(ctx, code)
	if err != nil || d.MerchantReference != "TestMerchRef12" {
		t.Fatalf("delete: %+v %v", d, err)
	}
	_, err = b.client.Get(ctx, code)
	wantErr(t, err, provider.KindDeclined, 431)
	_, err = b.client.Delete(ctx, code)
	wantErr(t, err, provider.KindDeclined, 431)
}

func TestBlockUnblock(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	code := b.create(t, nil)
	if err := b.client.Block(ctx, code); err != nil {
		t.Fatal(err)
	}
	if d, _ := b.client.Get(ctx, code); d.Status != paycodesim.CodeBlocked {
		t.Fatalf("status %s", d.Status)
	}
	if _, err := b.sim.Pay(ctx, paycodesim.PayRequest{Code: code}); status409(err) != nil {
		t.Fatal(status409(err))
	}
	if err := b.client.Block(ctx, code); err != nil { // idempotent
		t.Fatal(err)
	}
	if err := b.client.Unblock(ctx, code); err != nil {
		t.Fatal(err)
	}
	if _, err := b.sim.Pay(ctx, paycodesim.PayRequest{Code: code}); err != nil {
		t.Fatalf("pay after unblock: %v", err)
	}
}

func TestUpdateAmount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	code := b.create(t, func(r *CreateRequest) { r.UseOnce, r.ExpiryDate = Bool(false), NeverExpires() })
	if err := b.client.UpdateAmount(ctx, code, AmountRequest{Amount: dec("20.5")}); err != nil {
		t.Fatal(err)
	}
	d, _ := b.client.Get(ctx, code)
	if d.AmountString != "R 20.50" || !d.Amount.Equal(dec("20.5")) || d.ExpiryDate != t0.Add(paycodesim.DefaultExpiry).UnixMilli() {
		t.Fatalf("after amount: %+v", d)
	}
	if err := b.client.UpdateAmount(ctx, code, AmountRequest{Amount: dec("7"), ExpiryDate: NeverExpires()}); err != nil {
		t.Fatal(err)
	}
	if d, _ := b.client.Get(ctx, code); d.ExpiryDate != 0 || !d.Amount.Equal(dec("7")) {
		t.Fatalf("never: %+v", d)
	}
	err := b.client.UpdateAmount(ctx, code, AmountRequest{Amount: dec("-1")})
	wantErr(t, err, provider.KindDeclined, 440)
	if st, body := b.raw(t, "PUT", "/code/"+code+"/amount", `{"expiryDate":0}`); st != 400 {
		t.Fatalf("missing amount: %d %s", st, body)
	}
	basket := b.create(t, func(r *CreateRequest) {
		r.UseOnce = Bool(false)
		r.LimitBasket = []BasketItem{{Destination: "27832006283", ItemType: ItemAirtime, Amount: dec("5")}}
	})
	err = b.client.UpdateAmount(ctx, basket, AmountRequest{Amount: dec("0")})
	wantErr(t, err, provider.KindDeclined, 440)
}

// Every per-code endpoint answers the seed's statuses: 403 login, 439
// malformed code, 431 unknown code, 513 another merchant's code; 500 and
// 512 (general system errors) are failures.
func TestCodeErrorStatuses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	mine := b.create(t, nil)
	other := b.clientFor(t, "merchant2", "secret2", time.Second)
	ops := map[string]func(c *Client, code string) error{
		"get":    func(c *Client, code string) error { _, err := c.Get(context.Background(), code); return err },
		"delete": func(c *Client, code string) error { _, err := c.Delete(context.Background(), code); return err },
		"update": func(c *Client, code string) error {
			_, err := c.Update(context.Background(), code, updateRequest())
			return err
		},
		"block":   func(c *Client, code string) error { return c.Block(context.Background(), code) },
		"unblock": func(c *Client, code string) error { return c.Unblock(context.Background(), code) },
		"amount": func(c *Client, code string) error {
			return c.UpdateAmount(context.Background(), code, AmountRequest{Amount: dec("1")})
		},
	}
	cases := []struct {
		name   string
		client *Client
		code   string
		kind   provider.Kind
		status int
	}{
		{"wrong password", b.clientFor(t, "merchant1", "nope", time.Second), mine, provider.KindFailed, 403},
		{"unknown merchant", b.clientFor(t, "ghost", "x", time.Second), mine, provider.KindFailed, 403},
		{"suspended", b.clientFor(t, "suspended", "secret", time.Second), mine, provider.KindFailed, 403},
		{"malformed code", b.client, "12ab", provider.KindDeclined, 439},
		{"short code", b.client, "123", provider.KindDeclined, 439},
		{"unknown code", b.client, "1000000000", provider.KindDeclined, 431},
		{"other merchant", other, mine, provider.KindDeclined, 513},
	}
	for name, op := range ops {
		for _, tc := range cases {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				wantErr(t, op(tc.client, tc.code), tc.kind, tc.status)
			})
		}
	}
	_, err := b.clientFor(t, "suspended", "secret", time.Second).Create(context.Background(), basicRequest())
	wantErr(t, err, provider.KindFailed, 403)
}

func TestSystemErrors(t *testing.T) {
	t.Parallel()
	for _, st := range []int{500, 512} {
		b := setup(t)
		code := b.create(t, nil)
		b.sim.Harness().Arm(simulator.Fault{Path: "/code/", Status: st, Count: 2})
		_, err := b.client.Create(context.Background(), basicRequest())
		wantErr(t, err, provider.KindFailed, st)
		err = b.client.Block(context.Background(), code)
		wantErr(t, err, provider.KindFailed, st)
	}
}

// status409 is nil when err is a 409 refusal of a payment.
func status409(err error) error {
	if err == nil {
		return errors.New("payment accepted, want 409")
	}
	if pe, ok := err.(*paycodesim.PayError); ok && pe.Status == http.StatusConflict {
		return nil
	}
	return err
}

func TestCodeNumbersExhausted(t *testing.T) {
	t.Parallel()
	sim := paycodesim.New(paycodesim.Options{NewCode: func() string { return "8227541409" }})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	c, err := NewClient(Config{BaseURL: srv.URL, Username: "merchant1", Password: "secret1", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(context.Background(), basicRequest()); err != nil {
		t.Fatal(err)
	}
	_, err = c.Create(context.Background(), basicRequest())
	wantErr(t, err, provider.KindFailed, 500)
}
