package paycodesim

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"
)

// t0 is the simulator's fixed start time in tests.
var t0 = time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)

const firstCode = 8227541409 // the seed's sample code

var fuzzSeeds = []string{
	`{"amount": 10, "merchantReference": "TestMerchRef12", "shortDescription": "Basket of Goods"}`,
	`{"amount": 1000, "merchantReference": "TestMerchRef10", "shortDescription": "Basket of Goods", "expiryDate": 0,
	  "useOnce": false, "limitBasket": [{"destination": 27832006283, "itemType": "AIRTIME", "amount": 500.00}]}`,
	`{"amount": 10, "merchantReference": "r", "shortDescription": "Basket", "smsNotify": [27832006283,27832229174],
	  "emailNotify": "a@example.com,b@example.com", "rrn2": "000000000001", "requestPartialPayment": true, "requestTip": true}`,
	`{"amount": "1e400", "merchantReference": 5, "shortDescription": "xxxxx", "limitBasket": "[]"}`,
	`{"amount": 0.0000000000000000000001, "merchantReference": "r", "shortDescription": "xxxxx", "expiryDate": -1}`,
	`{"amount": 10.5, "merchantReference": "t0002", "expiryDate": 1375293705696, "useOnce": true, "shortDescription": "Samsung Galaxy S4"}`,
	`{"code": 8227541409, "amount": 1, "tip": 0.5}`,
	`{"amount":`, `[]`, `null`, ``,
}

// FuzzParseCreate: parsing and validation never panic, and whatever they
// accept obeys the seed's rules.
func FuzzParseCreate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	m := DefaultMerchants()[0]
	f.Fuzz(func(t *testing.T, body []byte) {
		in, e := parseCreate(body)
		if e != nil {
			if e.Status != StatusBadRequest {
				t.Fatalf("parse error status %d", e.Status)
			}
			return
		}
		c, e := validateCreate(in, m, t0)
		if e != nil {
			if e.Status != StatusValidation {
				t.Fatalf("validation status %d", e.Status)
			}
			return
		}
		n := utf8.RuneCountInString(c.ShortDescription)
		switch {
		case n < 5 || n > 45:
			t.Fatalf("description of %d runes accepted", n)
		case len(c.SMSNotify) > 3 || len(c.EmailNotify) > 5:
			t.Fatal("too many recipients accepted")
		case c.RRN2 != "" && !rrn2Re.MatchString(c.RRN2):
			t.Fatalf("rrn2 %q accepted", c.RRN2)
		case c.Amount.IsNegative():
			t.Fatal("negative amount accepted")
		case len(c.LimitBasket) > 0 && (c.UseOnce || c.Amount.IsZero() || c.RequestPartialPayment):
			t.Fatal("limitBasket accepted against its rules")
		case c.RequestTip && !c.RequestPartialPayment:
			t.Fatal("tip without partial payment accepted")
		case c.ExpiryDate != 0 && c.ExpiryDate <= t0.UnixMilli():
			t.Fatal("past expiry accepted")
		}
	})
}

// FuzzHandler: any body on any endpoint gets one of the seed's statuses.
func FuzzHandler(f *testing.F) {
	paths := []string{"POST /code/create", "PUT /code/8227541409", "PUT /code/8227541409/amount",
		"PUT /code/8227541409/block", "GET /code/8227541409", "DELETE /code/8227541409", "POST /_sim/pay"}
	for i, s := range fuzzSeeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		next := int64(firstCode)
		sim := New(Options{Now: func() time.Time { return t0 },
			NewCode: func() string { next++; return strconv.FormatInt(next-1, 10) }})
		h := sim.Handler()
		create := httptest.NewRequest("POST", "/code/create", bytes.NewBufferString(fuzzSeeds[0]))
		create.SetBasicAuth("merchant1", "secret1")
		h.ServeHTTP(httptest.NewRecorder(), create)
		p := paths[int(which)%len(paths)]
		i := bytes.IndexByte([]byte(p), ' ')
		req := httptest.NewRequest(p[:i], p[i+1:], bytes.NewReader(body))
		req.SetBasicAuth("merchant1", "secret1")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, StatusBadRequest, StatusValidation, StatusInvalidCode, http.StatusNotFound, http.StatusConflict:
		default:
			t.Fatalf("%s: status %d: %s", p, rec.Code, rec.Body)
		}
	})
}
