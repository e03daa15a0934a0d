package processonesim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var testStart = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// FuzzSimulatorRequest throws arbitrary bodies at every endpoint: the
// simulator must answer JSON with a ResponseCode, never panic, and never
// echo a card number it was sent.
func FuzzSimulatorRequest(f *testing.F) {
	seeds := []string{
		`{"Amount":20.00,"CreditCard":{"ExpirationYear":2030,"ExpirationMonth":11,"Holder":{"Name":"J"},"Number":"4444444444444448","ValidationValue":"123"},"AuthenticationKey":"k"}`,
		`{"Amount":"1e400","AuthenticationKey":"k"}`,
		`{"TransactionId":"100001","PartialRefundAmount":-1,"AuthenticationKey":"k"}`,
		`{"EftDetails":{"RoutingNumber":"121042882","AccountNumber":"1234567890","CustomerName":"J"},"Amount":2.00,"AuthenticationKey":"k"}`,
		`{"Types":[1,5],"StartDate":"2019-11-09T10:52:09","AfterTransactionId":5,"AuthenticationKey":"k"}`,
		`{"TransactionId":99991,"ClientReferenceData":{"ClientReferenceData1":null},"AuthenticationKey":"k"}`,
		`{"PaymentTokens":null,"BatchId":"x","Limit":-5,"Offset":99,"AuthenticationKey":"k"}`,
		`[]`, `null`, `{"AuthenticationKey":1}`, ``,
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	sim := New(Options{Now: func() time.Time { return testStart }, NewToken: func() string { return "tok" }})
	paths := make([]string, 0, len(sim.routes))
	for p := range sim.routes {
		paths = append(paths, p)
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		path := paths[int(which)%len(paths)]
		rec := httptest.NewRecorder()
		sim.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(body)))
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		var res Result
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.ResponseCode == "" {
			t.Fatalf("%s: answer %q", path, rec.Body.String())
		}
		if strings.Contains(rec.Body.String(), "4444444444444448") {
			t.Fatalf("%s echoed a card number", path)
		}
	})
}
