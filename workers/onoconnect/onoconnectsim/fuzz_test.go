package onoconnectsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

const testMerchant = "e2c826cb-26da-4527-9d85-8d81bff25705"

// seqIDs generates deterministic UUID-shaped ids.
func seqIDs() func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n.Add(1)) }
}

func FuzzChargeRequest(f *testing.F) {
	f.Add(`{"merchantId":"` + testMerchant + `","amountInCents":1000,"currency":"zar","clientTransactionId":"fuzz-1",` +
		`"paymentMethodInfo":{"type":"card","cardNumber":"4111111111111111","cvv":"123"},"deviceInfo":{"terminalId":"T1"},` +
		`"appInfo":{"name":"pos","version":"1.0"},"metadata":{"order":"fuzz-1"}}`)
	f.Add(`{}`)
	f.Add(``)
	f.Add(`null`)
	f.Add(`[1,2]`)
	f.Add(`{"merchantId":"` + testMerchant + `","amountInCents":-5,"currency":"zar","clientTransactionId":"x","paymentMethodInfo":{},"deviceInfo":{},"appInfo":{}}`)
	f.Add(`{"merchantId":"` + testMerchant + `","amountInCents":1e30,"currency":"zar","clientTransactionId":"x","paymentMethodInfo":{},"deviceInfo":{},"appInfo":{}}`)
	f.Add(`{"merchantId":"` + testMerchant + `","amountInCents":1051,"currency":"ZAR","clientTransactionId":"y","paymentMethodInfo":{},"deviceInfo":{},"appInfo":{},"metadata":{"a":1}}`)
	f.Add(`{"merchantId":"` + testMerchant + `","amountInCents":9223372036854775807,"currency":"z\u00e4r","clientTransactionId":"z","paymentMethodInfo":"{}","deviceInfo":{},"appInfo":{}}`)
	sim := New(Options{NewID: seqIDs()})
	h := sim.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		in, err := parseCharge([]byte(body))
		if err == nil {
			if *in.AmountInCents <= 0 || in.ClientTransactionID == "" || !isCurrency(in.Currency) || !isObject(in.AppInfo) {
				t.Fatalf("accepted invalid charge %q", body)
			}
		} else if strings.Contains(err.Error(), "cardNumber") {
			t.Fatalf("error quotes the payment method: %v", err)
		}
		req := httptest.NewRequest(http.MethodPost, "/v2/charges", strings.NewReader(body))
		req.Header.Set(headerMerchant, testMerchant)
		req.Header.Set(headerToken, "t")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			var resp chargeReply
			if err != nil || json.Unmarshal(rec.Body.Bytes(), &resp) != nil || resp.TransactionID == "" || resp.IsoResponseCode == "" {
				t.Fatalf("200 for %q (parse error %v): %s", body, err, rec.Body)
			}
		case http.StatusBadRequest:
		default:
			t.Fatalf("HTTP %d for %q", rec.Code, body)
		}
	})
}

func FuzzFinalizeRequest(f *testing.F) {
	f.Add("tx-1", `{"transactionId":"tx-1","paymentMethodInfo":{}}`)
	f.Add("tx-1", `{"transactionId":"tx-2"}`)
	f.Add("", `{"clientTransactionId":"r"}`)
	f.Add("tx", ``)
	f.Add("tx", `{"transactionId":7}`)
	f.Fuzz(func(t *testing.T, pathID, body string) {
		ok := parseFinalize([]byte(body), pathID)
		var in finalizeRequest
		if ok && body != "" && json.Unmarshal([]byte(body), &in) != nil {
			t.Fatalf("accepted bad JSON %q", body)
		}
		if ok && in.TransactionID != "" && pathID != "" && in.TransactionID != pathID {
			t.Fatalf("accepted mismatched id %q vs %q", in.TransactionID, pathID)
		}
	})
}
