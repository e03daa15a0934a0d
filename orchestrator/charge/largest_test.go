package charge_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// maxPayload is NATS's default max_payload; the embedded dev server allows 4 MiB.
const maxPayload = 1 << 20

// escapeWorst is a string of n bytes that JSON escapes the most: each of
// '<', '>' and '&' becomes six bytes (\u003c).
func escapeWorst(n, variant int) string {
	const alphabet = "<>&"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[variant%3]
		variant /= 3
	}
	return string(b)
}

// TestLargestEventFits builds the largest transaction event the input
// limits allow (50 metadata keys of 40 bytes with 500-byte values, the
// longest reference, amount and command id, a payment method whose type and
// brand fill a 1 MiB command, a provider's reason of 1 MiB), all of it made
// of the characters JSON escapes six-fold, and checks that its JSON is under
// a quarter of NATS's default max payload.
func TestLargestEventFits(t *testing.T) {
	huge := escapeWorst(300<<10, 0)
	data := events.ChargeCreateData{
		Provider: events.ProviderProcessOne, Amount: "999999999999.99", Currency: "ZAR",
		Reference:     strings.Repeat("R", 64),
		PaymentMethod: json.RawMessage(`{"type":"` + huge + `","brand":"` + huge + `","card_number":"4111111111111111"}`),
		Metadata:      map[string]string{},
	}
	for i := range events.MaxMetadataKeys {
		data.Metadata[escapeWorst(40, i)] = escapeWorst(500, 0)
	}
	amount, err := data.Validate()
	if err != nil {
		t.Fatalf("the largest charge.create is not within the input limits: %v", err)
	}
	cmd := events.Command{SpecVersion: events.SpecVersion, ID: escapeWorst(events.MaxIDLength, 0), Source: "s",
		Type: events.ChargeCreate, Data: json.RawMessage(`{}`)}
	if err := cmd.Validate(); err != nil {
		t.Fatalf("the longest command id is not within the input limits: %v", err)
	}

	now := time.Now()
	txn := testTxn(amount, data, now)
	txn.Reason = &events.Reason{Code: events.ReasonProviderDeclined, Message: escapeWorst(1<<20, 0), ProviderCode: escapeWorst(1<<20, 0)}
	lifecycle.SetDetail(txn, "payment_method", charge.MaskPaymentMethod(data.PaymentMethod))
	e := engine.New(engine.Config{Lifecycles: lifecycle.NewRegistry(charge.New(charge.Policy{}))})
	ev := events.Event{
		SpecVersion: events.SpecVersion, ID: uuid.NewString(), Source: events.Source,
		Type: events.EventType(txn.Type, txn.Status), Subject: txn.ID.String(), Time: now,
		DataContentType: "application/json", MerchantID: txn.MerchantID.String(), Sequence: 1 << 30,
		CausationID: cmd.ID, Data: events.EventData{Transaction: e.Resource(txn), Reason: txn.Reason},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("largest event: %d bytes of JSON (%.1f%% of NATS's default max payload)", len(b), 100*float64(len(b))/maxPayload)
	if len(b) > maxPayload/4 {
		t.Fatalf("largest event is %d bytes of JSON, want at most %d (a quarter of NATS's default max payload)", len(b), maxPayload/4)
	}
	rej, err := json.Marshal(events.Rejected(txn.MerchantID.String(), &events.Command{ID: strings.Repeat("<", 1<<20), Type: huge},
		txn.ID.String(), events.Reason{Code: huge, Field: "data." + huge, Message: huge, ProviderCode: huge}, huge, now))
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) > maxPayload/64 {
		t.Fatalf("largest command.rejected is %d bytes of JSON, want at most %d", len(rej), maxPayload/64)
	}
}

func testTxn(amount decimal.Decimal, d events.ChargeCreateData, now time.Time) *store.Txn {
	return &store.Txn{
		ID: uuid.New(), MerchantID: uuid.New(), Type: events.TypeCharge, Status: events.StatusDeclined,
		Provider: d.Provider, Amount: amount, Currency: d.Currency, Reference: d.Reference,
		ProviderReference: strings.Repeat("P", 64), Metadata: d.Metadata, Version: 1 << 30, EventSeq: 1 << 30,
		CreatedAt: now, UpdatedAt: now,
	}
}
