package utilitysim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// seedExample is the request example of the seed document, with its
// placeholder values made valid.
const seedExample = `{"transactionLabels":[{"name":"string","value":"string"}],
"meter":{"meterId":"01000000000","track2Data":"string","serviceType":"string","supplyGroupCode":"string",
"keyRevisionNum":"string","tariffIndex":"string","tokenTechCode":"string","algorithmCode":"string",
"keyChangeData":{"newSupplyGroupCode":"string","newKeyRevisionNumber":"string","newTariffIndex":"string"}},
"purchaseAmount":{"amount":1000,"currency":"ZAR","ledgerIndicator":"DEBIT"},"utilityType":"string","msisdn":"0821234567",
"tenders":[{"accountType":"DEFAULT","amount":{"amount":1000,"currency":"ZAR","ledgerIndicator":"DEBIT"},
"cardNumber":"string","reference":"string","tenderType":"CASH"}],
"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","time":"2019-08-24T14:15:22Z",
"originator":{"institution":{"id":"string","name":"string"},"terminalId":"string","merchant":{"merchantType":"string",
"merchantId":"string","merchantName":{"name":"string","city":"string","region":"string","country":"string"}},
"operatorId":"string","channelId":"string"},"client":{"id":"string","name":"string"},
"settlementEntity":{"id":"string","name":"string"},"receiver":{"id":"string","name":"string"},
"thirdPartyIdentifiers":[{"institutionId":"string","transactionIdentifier":"string"}],
"slipData":{"messageLines":[{"barcode":{"data":"string","encoding":"string"},"text":"string",
"fontWidthScaleFactor":0,"fontHeightScaleFactor":0,"line":false,"cut":false}],"slipWidth":0,"issuerReference":"string"},
"basketRef":"string","tranType":"GOODS_AND_SERVICES","srcAccType":"DEFAULT","destAccType":"DEFAULT","stan":"string",
"rrn":"string","paymentMethods":[{"type":"AN_32_TOKEN","name":"string","amount":{"amount":0,"currency":"string",
"ledgerIndicator":"DEBIT"},"issuer":{"id":"string","name":"string"},"pin":{"type":"CLEAR_PIN"},"proxy":"string","proxyType":"MSISDN"}]}`

const seedID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

var testNow = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

func TestSeedExampleParses(t *testing.T) {
	t.Parallel()
	req, perr := parsePurchase([]byte(seedExample), seedID)
	if perr != nil {
		t.Fatal(perr)
	}
	if req.PurchaseAmount.Amount != 1000 || req.Meter.KeyChangeData == nil || req.PaymentMethods[0].PIN.Type != "CLEAR_PIN" {
		t.Fatalf("parsed %+v", req)
	}
}

// FuzzParsePurchase: the purchase parser never panics, an accepted request
// survives a round trip, and the simulator answers every body with 201 or
// 400 (never a 5xx or a hang).
func FuzzParsePurchase(f *testing.F) {
	valid, _ := json.Marshal(PurchaseRequest{ID: seedID, Time: testNow, Meter: Meter{MeterID: "01000000000"},
		PurchaseAmount: LedgerAmount{Amount: 5000, Currency: "ZAR"}, Originator: Originator{Institution: Institution{ID: "0001"}},
		Client: Institution{ID: "switchyard"}, ThirdPartyIdentifiers: []ThirdPartyIdentifier{}})
	for _, s := range []string{seedExample, string(valid), `{}`, `null`, `[]`, ``, `{"id":1}`,
		`{"purchaseAmount":{"amount":1.5}}`, `{"time":"yesterday"}`, strings.Replace(seedExample, "1000,", "-1,", 1),
		strings.Replace(seedExample, `"0821234567"`, `"+0"`, 1)} {
		f.Add([]byte(s), seedID)
	}
	sim := New(Options{Now: func() time.Time { return testNow }, Hold: time.Millisecond})
	cfg := sim.Config()
	cfg.Meters = map[string]MeterRule{}
	sim.Configure(cfg)
	h := sim.Handler()
	f.Fuzz(func(t *testing.T, body []byte, pathID string) {
		req, perr := parsePurchase(body, pathID)
		if perr != nil {
			if perr.ErrorType != ErrFormat || perr.ErrorMessage == "" {
				t.Fatalf("bad detail %+v", perr)
			}
		} else {
			again, _ := json.Marshal(req)
			back, perr := parsePurchase(again, pathID)
			if perr != nil || back.ID != req.ID || back.PurchaseAmount != req.PurchaseAmount {
				t.Fatalf("round trip: %+v %+v", back, perr)
			}
		}
		if pathID == "" || pathID == "." || pathID == ".." {
			return
		}
		r := httptest.NewRequest(http.MethodPost, "/tokenPurchases/"+url.PathEscape(pathID), strings.NewReader(string(body)))
		r.Header.Set(headerClientID, "c")
		r.Header.Set(headerAPIKey, "k")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusCreated && w.Code != http.StatusBadRequest && w.Code != http.StatusNotFound {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
	})
}

// FuzzParseAdvice: the advice parser never panics and accepts only advices
// that name the path's ids.
func FuzzParseAdvice(f *testing.F) {
	f.Add([]byte(`{"id":"c1","requestId":"p1","time":"2019-08-24T14:15:22Z","thirdPartyIdentifiers":[]}`), "p1", "c1")
	f.Add([]byte(`{"id":"c1","requestId":"p2","time":"2019-08-24T14:15:22Z"}`), "p1", "c1")
	f.Add([]byte(`{"reversalReason":"TIMED_OUT"}`), "p1", "r1")
	f.Add([]byte(`nonsense`), "", "")
	f.Fuzz(func(t *testing.T, body []byte, pid, aid string) {
		var adv ReversalAdvice
		if perr := parseAdvice(body, &adv, &adv.Advice, pid, aid); perr == nil {
			if adv.ID != aid || adv.RequestID != pid || adv.Time.IsZero() {
				t.Fatalf("accepted %+v for %s/%s", adv, pid, aid)
			}
		}
	})
}
