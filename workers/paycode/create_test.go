package paycode

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
	"github.com/switchyard/switchyard/workers/provider"
)

func TestCreateAndGet(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	res, err := b.client.Create(ctx, basicRequest())
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != "8227541409" || res.ExpiryDate != t0.Add(30*time.Minute).UnixMilli() {
		t.Fatalf("create: %+v", res)
	}
	d, err := b.client.Get(ctx, res.Code)
	if err != nil {
		t.Fatal(err)
	}
	if d.AmountString != "R 10.00" || !d.Amount.Equal(dec("10")) || d.Variable || d.Currency != "ZAR" ||
		d.MerchantReference != "TestMerchRef12" || !d.UseOnce || d.MerchantName != "Merchant One" ||
		d.ShortDescription != "Basket of Goods" || d.Status != paycodesim.CodeActive || d.ProductURL != "" {
		t.Fatalf("get: %+v", d)
	}
	if exp, ok := d.Expires(); !ok || !exp.Equal(t0.Add(paycodesim.DefaultExpiry)) {
		t.Fatalf("expires %v %v", exp, ok)
	}
}

// The seed's three sample requests, made valid JSON (quoted keys and
// strings, real e-mail addresses for the garbled ones).
func TestCreateSeedSamples(t *testing.T) {
	t.Parallel()
	basket := `{"amount": 1000, "merchantReference": "TestMerchRef10", "shortDescription": "Basket of Goods",
		"expiryDate": 0, "subMerchantName": "The Shop", "terminalId": "0000KFB1", %s "useOnce": false,
		"limitBasket": [{"destination": 27832006283, "itemType": "AIRTIME", "amount": 500.00}]}`
	tests := []struct {
		name string
		body string
		want int
	}{
		{"basic", `{"amount": 10, "merchantReference": "TestMerchRef12", "shortDescription": "Basket of Goods"}`, 200},
		// The sample combines limitBasket with requestPartialPayment, which
		// the parameter table forbids: the rule wins (see doc.go).
		{"limit basket as printed", strings.Replace(basket, "%s", `"requestPartialPayment": true, "requestTip": true,`, 1), 440},
		{"limit basket without partial payment", strings.Replace(basket, "%s", "", 1), 200},
		{"extra notifications", `{"amount": 10, "merchantReference": "TestMerchRef11", "shortDescription": "Basket of Goods",
			"expiryDate": 0, "subMerchantName": "The Shop", "terminalId": "0000KFB1",
			"smsNotify": [27832006283,27832229174], "emailNotify": ["a@example.com", "b@example.com"], "useOnce": false}`, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			st, body := b.raw(t, "POST", "/code/create", tt.body)
			if st != tt.want {
				t.Fatalf("status %d, want %d: %s", st, tt.want, body)
			}
			if st != 200 {
				return
			}
			var out struct {
				Code       string `json:"code"`
				ExpiryDate int64  `json:"expiryDate"`
			}
			if err := json.Unmarshal(body, &out); err != nil || out.Code == "" {
				t.Fatalf("answer %s: %v", body, err)
			}
		})
	}
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	future := t0.Add(time.Hour)
	basket := []BasketItem{{Destination: "27832006283", ItemType: ItemAirtime, Amount: dec("500.00")}}
	tests := []struct {
		name string
		mod  func(*CreateRequest)
		want int
	}{
		{"basic", nil, 200},
		{"variable amount", func(r *CreateRequest) { r.Amount = dec("0") }, 200},
		{"amount with cents", func(r *CreateRequest) { r.Amount = dec("10.50") }, 200},
		{"negative amount", func(r *CreateRequest) { r.Amount = dec("-1") }, 440},
		{"three decimals", func(r *CreateRequest) { r.Amount = dec("10.505") }, 440},
		{"missing reference", func(r *CreateRequest) { r.MerchantReference = "" }, 400},
		{"missing description", func(r *CreateRequest) { r.ShortDescription = "" }, 400},
		{"description 4 chars", func(r *CreateRequest) { r.ShortDescription = "abcd" }, 440},
		{"description 5 chars", func(r *CreateRequest) { r.ShortDescription = "abcde" }, 200},
		{"description 45 chars", func(r *CreateRequest) { r.ShortDescription = strings.Repeat("x", 45) }, 200},
		{"description 46 chars", func(r *CreateRequest) { r.ShortDescription = strings.Repeat("x", 46) }, 440},
		{"description 5 runes", func(r *CreateRequest) { r.ShortDescription = "ééééé" }, 200},
		{"expiry never", func(r *CreateRequest) { r.ExpiryDate = NeverExpires() }, 200},
		{"expiry future", func(r *CreateRequest) { r.ExpiryDate = ExpiresAt(future) }, 200},
		{"expiry past", func(r *CreateRequest) { r.ExpiryDate = ExpiresAt(t0.Add(-time.Second)) }, 440},
		{"expiry negative", func(r *CreateRequest) { v := int64(-5); r.ExpiryDate = &v }, 440},
		{"3 sms", func(r *CreateRequest) { r.SMSNotify = []string{"27832006283", "27832229174", "+447700900123"} }, 200},
		{"4 sms", func(r *CreateRequest) {
			r.SMSNotify = []string{"27832006283", "27832229174", "27832229175", "27832229176"}
		}, 440},
		{"sms national format", func(r *CreateRequest) { r.SMSNotify = []string{"0832006283"} }, 440},
		{"5 email", func(r *CreateRequest) { r.EmailNotify = strings.Split("a@x.io,b@x.io,c@x.io,d@x.io,e@x.io", ",") }, 200},
		{"6 email", func(r *CreateRequest) {
			r.EmailNotify = strings.Split("a@x.io,b@x.io,c@x.io,d@x.io,e@x.io,f@x.io", ",")
		}, 440},
		{"bad email", func(r *CreateRequest) { r.EmailNotify = []string{"not-an-email"} }, 440},
		{"rrn2 12 digits", func(r *CreateRequest) { r.RRN2 = "000000000123" }, 200},
		{"rrn2 short", func(r *CreateRequest) { r.RRN2 = "123" }, 440},
		{"rrn2 letter", func(r *CreateRequest) { r.RRN2 = "00000000012a" }, 440},
		{"tip without partial", func(r *CreateRequest) { r.RequestTip = true }, 440},
		{"tip with partial", func(r *CreateRequest) { r.RequestTip, r.RequestPartialPayment = true, true }, 200},
		{"basket reusable", func(r *CreateRequest) { r.LimitBasket, r.UseOnce = basket, Bool(false) }, 200},
		{"basket use-once default", func(r *CreateRequest) { r.LimitBasket = basket }, 440},
		{"basket use-once true", func(r *CreateRequest) { r.LimitBasket, r.UseOnce = basket, Bool(true) }, 440},
		{"basket variable amount", func(r *CreateRequest) {
			r.LimitBasket, r.UseOnce, r.Amount = basket, Bool(false), dec("0")
		}, 440},
		{"basket partial payment", func(r *CreateRequest) {
			r.LimitBasket, r.UseOnce, r.RequestPartialPayment = basket, Bool(false), true
		}, 440},
		{"basket bundle", func(r *CreateRequest) {
			r.LimitBasket = []BasketItem{{Destination: "27821234567", ItemType: ItemAirtimeBundle, Amount: dec("100")}}
			r.UseOnce = Bool(false)
		}, 200},
		{"basket bad item type", func(r *CreateRequest) {
			r.LimitBasket = []BasketItem{{Destination: "27821234567", ItemType: "DATA", Amount: dec("100")}}
			r.UseOnce = Bool(false)
		}, 440},
		{"basket bad destination", func(r *CreateRequest) {
			r.LimitBasket = []BasketItem{{Destination: "abc", ItemType: ItemAirtime, Amount: dec("100")}}
			r.UseOnce = Bool(false)
		}, 440},
		{"basket zero item", func(r *CreateRequest) {
			r.LimitBasket = []BasketItem{{Destination: "27821234567", ItemType: ItemAirtime, Amount: dec("0")}}
			r.UseOnce = Bool(false)
		}, 440},
	}
	b := setup(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := basicRequest()
			if tt.mod != nil {
				tt.mod(&req)
			}
			_, err := b.client.Create(context.Background(), req)
			if got := status(err); got != tt.want {
				t.Fatalf("status %d, want %d (%v)", got, tt.want, err)
			}
			if tt.want != 200 {
				wantErr(t, err, provider.KindDeclined, tt.want)
			}
		})
	}
}

func TestCreateRawBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       int
	}{
		{"not json", `{amount: 10}`, 400},
		{"empty", ``, 400},
		{"array", `[]`, 400},
		{"missing amount", `{"merchantReference":"r1","shortDescription":"Basket"}`, 400},
		{"null amount", `{"amount":null,"merchantReference":"r1","shortDescription":"Basket"}`, 400},
		{"amount not a number", `{"amount":"ten","merchantReference":"r1","shortDescription":"Basket"}`, 400},
		{"amount as string", `{"amount":"10.50","merchantReference":"r1","shortDescription":"Basket"}`, 200},
		{"expiry as string", `{"amount":1,"merchantReference":"r1","shortDescription":"Basket","expiryDate":"x"}`, 400},
		{"sms as string", `{"amount":1,"merchantReference":"r1","shortDescription":"Basket","smsNotify":"27832006283, 27832229174"}`, 200},
		{"sms 4 as string", `{"amount":1,"merchantReference":"r1","shortDescription":"Basket","smsNotify":"27832006283,27832006284,27832006285,27832006286"}`, 440},
		{"basket as string", `{"amount":1,"merchantReference":"r1","shortDescription":"Basket","useOnce":false,
			"limitBasket":"[{\"destination\":\"27832006283\",\"itemType\":\"AIRTIME\",\"amount\":1}]"}`, 200},
		{"numeric reference", `{"amount":1,"merchantReference":12,"shortDescription":"Basket"}`, 200},
	}
	b := setup(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if st, body := b.raw(t, "POST", "/code/create", tt.body); st != tt.want {
				t.Fatalf("status %d, want %d: %s", st, tt.want, body)
			}
		})
	}
}

func TestCreateLimitsDisabled(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.clientFor(t, "nolimits", "secret", time.Second)
	req := basicRequest()
	req.UseOnce = Bool(false)
	req.LimitBasket = []BasketItem{{Destination: "27832006283", ItemType: ItemAirtime, Amount: dec("5")}}
	_, err := c.Create(context.Background(), req)
	wantErr(t, err, provider.KindDeclined, 440)
}
