package processone

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/processone/processonesim"
)

func TestTransactionQueries(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
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
		QueryAuthenticationKeys: []string{processonesim.DevAuthenticationKey}, TransactionStatuses: []TransactionStatus{StatusSuccessful}})
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
	b := setup(t, processonesim.Options{AuthenticationKeys: []string{processonesim.DevAuthenticationKey}})
	post := func(path, body string) *http.Response {
		t.Helper()
		resp, err := http.Post(b.srv.URL+path, "application/json", strings.NewReader(body))
		mustOK(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	var st struct {
		Open      int        `json:"open"`
		Closed    int        `json:"closed"`
		NextClose *time.Time `json:"next_close"`
	}
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
	if keys, _ := json.Marshal(cfg["authentication_keys"]); bytes.Contains(keys, []byte(processonesim.DevAuthenticationKey)) {
		t.Fatalf("config shows the key: %s", keys)
	}
	if post("/_sim/config", `{"batch_cutoff":"25:99"}`).StatusCode != http.StatusBadRequest {
		t.Fatal("bad cut-off accepted")
	}
	if post("/_sim/reset", "").StatusCode != http.StatusNoContent {
		t.Fatal("reset")
	}
}
