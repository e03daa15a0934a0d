package paycode

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCreateRequestWire(t *testing.T) {
	t.Parallel()
	req := basicRequest()
	req.Amount = dec("10.50")
	req.ExpiryDate = NeverExpires()
	req.UseOnce = Bool(false)
	req.SMSNotify = []string{"27832006283", "27832229174"}
	req.EmailNotify = []string{"a@example.com"}
	req.LimitBasket = []BasketItem{{Destination: "27832006283", ItemType: ItemAirtime, Amount: dec("500.00")}}
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"amount":10.5,"merchantReference":"TestMerchRef12","expiryDate":0,"useOnce":false,` +
		`"limitBasket":[{"destination":"27832006283","itemType":"AIRTIME","amount":500}],` +
		`"shortDescription":"Basket of Goods","smsNotify":"27832006283,27832229174","emailNotify":"a@example.com"}`
	if string(b) != want {
		t.Fatalf("\n got %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(UpdateRequest{MerchantReference: "t0002", ShortDescription: "Samsung Galaxy S4"})
	if strings.Contains(string(b), "amount") {
		t.Fatalf("variable update sends an amount: %s", b)
	}
	b, _ = json.Marshal(AmountRequest{Amount: dec("20.5")})
	if string(b) != `{"amount":20.5}` {
		t.Fatalf("amount request %s", b)
	}
}

// The seed's sample answers, as printed (code unquoted).
func TestSeedAnswers(t *testing.T) {
	t.Parallel()
	var cr CreateResponse
	if err := json.Unmarshal([]byte(`{"code": 8227541409, "expiryDate": 1375293705000}`), &cr); err != nil {
		t.Fatal(err)
	}
	if cr.Code != "8227541409" || cr.ExpiryDate != 1375293705000 {
		t.Fatalf("%+v", cr)
	}
	var d CodeDetails
	err := json.Unmarshal([]byte(`{"amountString": "R 10.50", "merchantReference": "t0002", "expiryDate": 1375293705000,
		"useOnce": true, "merchantName": "Merchant One", "shortDescription": "Samsung Galaxy S4", "productURL": null, "extra": null}`), &d)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Amount.Equal(dec("10.5")) || d.Variable || d.MerchantReference != "t0002" || !d.UseOnce || d.ProductURL != "" {
		t.Fatalf("%+v", d)
	}
	if err := json.Unmarshal([]byte(`{"amountString": null, "merchantReference": "x"}`), &d); err != nil || !d.Variable {
		t.Fatalf("variable: %+v %v", d, err)
	}
	for in, want := range map[string]string{"R 1,000.00": "1000", "ZAR 3.5": "3.5", "R10.00": "10"} {
		if got, ok := parseAmountString(in); !ok || !got.Equal(dec(want)) {
			t.Errorf("%q: %s %v", in, got, ok)
		}
	}
}
