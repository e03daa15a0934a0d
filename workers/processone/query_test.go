package processone

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestTransactionQueries(t *testing.T) {
	t.Parallel()
	b := setup(t, SimOptions{})
	cust := optional("cust-7")
	c1, err := b.client.CreditCardCharge(b.ctx, &ChargeCreditCardRequest{Amount: dollars("10.00"), CreditCard: card("4111111111111111"),
		CustomerID: cust, ClientReferenceData: refs("POL-A")})
	mustOK(t, err)
	_, err = b.client.EftDebit(b.ctx, &DebitEftRequest{Amount: dollars("20.00"), EftDetails: account("123456789"), CustomerID: cust, ClientReferenceData: refs("POL-B")})
	mustOK(t, err)
	_, err = b.charge(t, "4444444444444141", "5.00", "") // declined: Failed
	wantCode(t, err, CodeDeclined)
	batch := b.sim.CloseBatch()
	b.clock.Advance(time.Hour)
	_, err = b.charge(t, "4111111111111111", "30.00", "")
	mustOK(t, err)

	inBatch, err := b.client.TransactionGetByBatchID(b.ctx, &GetTransactionsByBatchIDRequest{BatchID: "1",
		QueryAuthenticationKeys: []string{DevAuthenticationKey}, TransactionStatuses: []TransactionStatus{StatusSuccessful}})
	mustOK(t, err)
	if batch != 1 || len(inBatch.Transactions) != 2 {
		t.Fatalf("batch %d holds %d successful", batch, len(inBatch.Transactions))
	}
	byType, err := b.client.TransactionGetByType(b.ctx, &GetTransactionsByTypeRequest{Types: []TransactionType{TypeChargeCreditCard},
		StartDate: DateOf(testStart), EndDate: DateOf(testStart.Add(30 * time.Minute))})
	mustOK(t, err)
	if len(byType.Transactions) != 2 { // the approved and the declined charge
		t.Fatalf("%d charges in the first half hour", len(byType.Transactions))
	}
	after := idNum(*c1.TransactionID)
	byType, err = b.client.TransactionGetByType(b.ctx, &GetTransactionsByTypeRequest{Types: []TransactionType{TypeChargeCreditCard}, AfterTransactionID: &after})
	mustOK(t, err)
	if len(byType.Transactions) != 2 {
		t.Fatalf("%d charges after %d", len(byType.Transactions), after)
	}
	byCust, err := b.client.TransactionGetByCustomerAndClientRefData(b.ctx, &GetTransactionsByCustomerAndClientRefDataRequest{CustomerID: "cust-7"})
	mustOK(t, err)
	if len(byCust.Transactions) != 2 {
		t.Fatalf("%d for the customer", len(byCust.Transactions))
	}
	byCust, err = b.client.TransactionGetByCustomerAndClientRefData(b.ctx, &GetTransactionsByCustomerAndClientRefDataRequest{
		CustomerID: "cust-7", ClientReferenceData: refs("POL-B"), Limit: 5})
	mustOK(t, err)
	if len(byCust.Transactions) != 1 || byCust.Transactions[0].TransactionType != TypeDebitEftNoFee {
		t.Fatalf("by ref data %+v", byCust.Transactions)
	}
	_, err = b.client.TransactionUpdateMetadata(b.ctx, &UpdateTransactionMetadataRequest{TransactionID: after,
		ClientReferenceData: &ClientReferenceData{ClientReferenceData4: optional("additional info")}})
	mustOK(t, err)
	got, err := b.client.TransactionGetByID(b.ctx, &GetTransactionByIDRequest{TransactionID: *c1.TransactionID})
	mustOK(t, err)
	if got.TransactionInformation.ClientReferenceData.Ref1() != "POL-A" || deref(got.TransactionInformation.ClientReferenceData.ClientReferenceData4) != "additional info" {
		t.Fatalf("metadata %+v", got.TransactionInformation.ClientReferenceData)
	}
	_, err = b.client.TransactionUpdateMetadata(b.ctx, &UpdateTransactionMetadataRequest{TransactionID: 1})
	wantCode(t, err, CodeIncorrectTransactionID)
	// Another instance sees none of it.
	other, _ := NewClient(Config{BaseURL: b.srv.URL, AuthenticationKey: "other-key", Timeout: time.Second})
	_, err = other.TransactionGetByID(b.ctx, &GetTransactionByIDRequest{TransactionID: *c1.TransactionID})
	wantCode(t, err, CodeIncorrectTransactionID)
}

func TestControlEndpoints(t *testing.T) {
	t.Parallel()
	b := setup(t, SimOptions{AuthenticationKeys: []string{DevAuthenticationKey}})
	post := func(path, body string) *http.Response {
		t.Helper()
		resp, err := http.Post(b.srv.URL+path, "application/json", strings.NewReader(body))
		mustOK(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	var st batchState
	mustOK(t, json.NewDecoder(post("/_sim/batch/close", "").Body).Decode(&st))
	if st.Closed != 1 || st.Open != 2 || st.NextClose == nil {
		t.Fatalf("batch state %+v", st)
	}
	resp := post("/_sim/config", `{"batch_cutoff":"off","partial_refunds_disabled":true}`)
	var cfg map[string]any
	mustOK(t, json.NewDecoder(resp.Body).Decode(&cfg))
	if cfg["batch_cutoff"] != "off" || cfg["partial_refunds_disabled"] != true {
		t.Fatalf("config %v", cfg)
	}
	if keys, _ := json.Marshal(cfg["authentication_keys"]); bytes.Contains(keys, []byte(DevAuthenticationKey)) {
		t.Fatalf("config shows the key: %s", keys)
	}
	if post("/_sim/config", `{"batch_cutoff":"25:99"}`).StatusCode != http.StatusBadRequest {
		t.Fatal("bad cut-off accepted")
	}
	if post("/_sim/reset", "").StatusCode != http.StatusNoContent {
		t.Fatal("reset")
	}
}

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
	sim := NewSimulator(SimOptions{Now: func() time.Time { return testStart }, NewToken: func() string { return "tok" }})
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
