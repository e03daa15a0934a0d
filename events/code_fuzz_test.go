package events_test

import (
	"encoding/json"
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/switchyard/switchyard/events"
)

var rrn2Digits = regexp.MustCompile(`^[0-9]{12}$`)

// FuzzCodeCreateValidate: whatever code.create's data, an accepted one
// keeps every rule of seed 002.
func FuzzCodeCreateValidate(f *testing.F) {
	for _, s := range []string{
		`{"amount":"10.50","currency":"ZAR","reference":"r-1","short_description":"Basket of Goods"}`,
		`{"amount":"1000","currency":"ZAR","reference":"r-2","short_description":"Basket of Goods","expires_at":"never","use_once":false,
		  "limit_basket":[{"destination":"27832006283","item_type":"AIRTIME","amount":"500.00"}]}`,
		`{"amount":"0","currency":"ZAR","reference":"r-3","short_description":"Basket","sms_notify":["27832006283","27832229174"],
		  "email_notify":["a@example.com"],"rrn2":"000000000001","request_partial_payment":true,"request_tip":true}`,
		`{"amount":"0","currency":"ZAR","reference":"r","short_description":"xxxxx","limit_basket":[{"destination":"1","item_type":"X","amount":"1"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d events.CodeCreateData
		if json.Unmarshal(b, &d) != nil {
			return
		}
		amt, err := d.Validate()
		if err != nil {
			return
		}
		n := utf8.RuneCountInString(d.ShortDescription)
		switch {
		case n < 5 || n > 45:
			t.Fatalf("short description of %d accepted", n)
		case len(d.SMSNotify) > 3 || len(d.EmailNotify) > 5:
			t.Fatal("too many notifications accepted")
		case d.RRN2 != "" && !rrn2Digits.MatchString(d.RRN2):
			t.Fatalf("rrn2 %q accepted", d.RRN2)
		case len(d.LimitBasket) > 0 && (d.UseOnce == nil || *d.UseOnce || amt.IsZero() || d.RequestPartialPayment):
			t.Fatal("limit basket accepted against its rules")
		case d.RequestTip && !d.RequestPartialPayment:
			t.Fatal("tip without partial payment accepted")
		case amt.IsNegative() || d.Reference == "":
			t.Fatal("negative amount or no reference accepted")
		}
	})
}
