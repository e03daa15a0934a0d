package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/simhost"
)

// newP1Merchant is a merchant with accounts at ono//connect and ProcessOne.
func (e *env) newP1Merchant() *tenant {
	e.t.Helper()
	return e.newMerchantBody(fmt.Sprintf(`{"name":"Shop","confirm_deadline":"15m","providers":{`+
		`"onoconnect":{"merchant_id":%q,"transaction_token":"tok"},"processone":{"authentication_key":"key-%s"}}}`,
		uuid.NewString(), uuid.NewString()[:8]))
}

func p1Card(number string) map[string]any {
	cvv := "123"
	if strings.HasPrefix(number, "34") || strings.HasPrefix(number, "37") {
		cvv = "1234" // American Express: four digits (the seed's test-card table)
	}
	return map[string]any{"type": "card", "card_number": number, "cvv": cvv, "expiry_month": 12, "expiry_year": 2031, "holder_name": "Ann Bee"}
}

func p1Bank(account string) map[string]any {
	return map[string]any{"type": "bank_account", "routing_number": "121042882", "account_number": account,
		"account_type": "checking", "holder_name": "Ann Bee"}
}

func p1Charge(ref, amount string, pm map[string]any) map[string]any {
	return map[string]any{"provider": "processone", "amount": amount, "currency": "USD", "reference": ref, "payment_method": pm}
}

// post sends a command over HTTP with Prefer: wait and returns the status
// code and the answer.
func (m *tenant) post(path, idem string, body any) (int, map[string]any) {
	m.e.t.Helper()
	b, _ := json.Marshal(body)
	var out map[string]any
	req, _ := http.NewRequest("POST", m.e.base+path, strings.NewReader(string(b)))
	req.Header.Set("Authorization", "Bearer "+m.apiKey)
	req.Header.Set("Idempotency-Key", idem)
	req.Header.Set("Prefer", "wait=10")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		m.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// p1Row is a row of the seed's test data and what the whole lifecycle makes
// of it: the charge's final status and provider code.
type p1Row struct {
	name, amount string
	pm           map[string]any
	status, code string
}

// p1Rows are the seed's card, amount and bank-account tables.
func p1Rows() []p1Row {
	var rows []p1Row
	byAmount := []struct{ amount, status, code string }{
		{"1.00", "succeeded", ""}, {"25.00", "succeeded", ""},
		{"2.00", "declined", "IncorrectValidationValue"}, {"12.00", "declined", "IncorrectValidationValue"},
		{"3.00", "declined", "Declined"}, {"13.00", "declined", "Declined"},
		{"4.00", "declined", "OverMaximumPayment"},
		{"5.00", "declined", "DuplicateTransaction"}, {"15.00", "declined", "DuplicateTransaction"},
		{"6.00", "failed", "GatewayInternalError"}, {"16.00", "failed", "GatewayInternalError"},
		{"7.00", "declined", "InvalidCardNumber"}, {"17.00", "declined", "InvalidCardNumber"},
		{"14.00", "declined", "AvsVerificationFailed"}, {"18.00", "declined", "Call"},
		{"19.00", "declined", ""}, // NoProcessorResponse: unknown, then found failed by its CallbackId
	}
	for _, number := range []string{"4444444444444448", "5431111111111111", "341111111111111", "6011601160116611"} {
		for _, a := range byAmount {
			rows = append(rows, p1Row{number + "/" + a.amount, a.amount, p1Card(number), a.status, a.code})
		}
	}
	for _, number := range []string{"4111111111111111", "4024007167282317", "6011172923498605", "5384483278305365"} {
		rows = append(rows, p1Row{number, "3.00", p1Card(number), "succeeded", ""})
	}
	byCard := map[string][2]string{
		"4444444444444125": {"succeeded", ""}, "4444444444444133": {"declined", "IncorrectValidationValue"},
		"4444444444444141": {"declined", "Declined"}, "4444444444444158": {"declined", "OverMaximumPayment"},
		"4444444444444166": {"declined", "DuplicateTransaction"}, "4444444444444174": {"failed", "GatewayInternalError"},
		"4444444444444182": {"declined", "InvalidCardNumber"}, "4444444444444190": {"succeeded", ""},
		"4444444444444208": {"declined", "IncorrectValidationValue"}, "4444444444444216": {"declined", "Declined"},
		"4444444444444224": {"declined", "AvsVerificationFailed"}, "4444444444444232": {"declined", "DuplicateTransaction"},
		"4444444444444240": {"failed", "GatewayInternalError"}, "4444444444444257": {"declined", "InvalidCardNumber"},
		"4444444444444265": {"declined", "Call"}, "4444444444444273": {"declined", ""},
	}
	for number, w := range byCard {
		rows = append(rows, p1Row{number, "10.00", p1Card(number), w[0], w[1]})
	}
	for _, number := range []string{"4444444444444299", "4444444444444307", "4444444444444315", "4444444444444323",
		"4444444444444331", "4444444444444349", "4444444444444356", "4444444444444364", "4444444444444372",
		"4444444444444380", "4444444444444398", "4444444444444505", "4444444444444513"} {
		rows = append(rows, p1Row{number, "10.00", p1Card(number), "succeeded", ""})
	}
	for amount, w := range map[string][2]string{"1.00": {"succeeded", ""}, "20.00": {"succeeded", ""},
		"2.00": {"declined", "ACHTransactionFailed"}, "3.00": {"failed", "GatewayInternalError"}, "4.00": {"declined", ""}} {
		rows = append(rows, p1Row{"eft 1234567890/" + amount, amount, p1Bank("1234567890"), w[0], w[1]})
	}
	for account, w := range map[string][2]string{"1234567892": {"succeeded", ""}, "1234567893": {"declined", "ACHTransactionFailed"},
		"1234567894": {"failed", "GatewayInternalError"}, "1234567895": {"declined", ""},
		"1234567896": {"succeeded", ""}, "1234567897": {"succeeded", ""}, "1234567898": {"succeeded", ""},
		"2234567890": {"declined", "InvalidAccountNumber"}, "3234567890": {"declined", "InvalidRoutingNumber"},
		"4234567890": {"failed", "GatewayInternalError"}} {
		rows = append(rows, p1Row{"eft " + account, "10.00", p1Bank(account), w[0], w[1]})
	}
	return rows
}

// TestProcessOneTestDataThroughTheLifecycle: every row of the seed's test
// card, amount and bank-account tables as a charge.create over NATS,
// through intake, engine, executor, connector and simulator, to the status
// and provider code the seed gives it. The card data never shows.
func TestProcessOneTestDataThroughTheLifecycle(t *testing.T) {
	// A call that times out is found by its CallbackId, failed, but without
	// its ResponseCode: give the 120 calls at once (under -race) time to be
	// answered, so that each row's own code is seen.
	e := newEnvWith(t, allRoles, func(c *nodeConfig) { c.ProviderTimeout = 10 * time.Second })
	m := e.newP1Merchant()
	rows := p1Rows()
	ids := make([]string, len(rows))
	for i, r := range rows {
		cmdID := fmt.Sprintf("p1-row-%d", i)
		ids[i] = natsTransport{}.create(m, cmdID, p1Charge(fmt.Sprintf("row-%d", i), r.amount, r.pm))
	}
	var wg sync.WaitGroup
	for i, r := range rows {
		wg.Go(func() {
			tx := m.waitStatus(ids[i], r.status)
			code := ""
			if tx.Reason != nil {
				code = tx.Reason.ProviderCode
			}
			if r.code != "" && code != r.code {
				t.Errorf("%s: %s with provider code %q, want %q (reason %+v)", r.name, tx.Status, code, r.code, tx.Reason)
			}
			if tx.Status == events.StatusSucceeded && tx.ProviderReference == "" {
				t.Errorf("%s: succeeded without ProcessOne's TransactionId", r.name)
			}
		})
	}
	wg.Wait()
	for _, ev := range m.snapshot() {
		raw, _ := json.Marshal(ev)
		if strings.Contains(string(raw), "4444444444444") || strings.Contains(string(raw), `"cvv"`) {
			t.Fatalf("event %s shows card data: %s", ev.Type, raw)
		}
	}
	if n := e.count(`SELECT count(*) FROM transactions WHERE details::text LIKE '%4444444444444%'`); n != 0 {
		t.Fatalf("%d transactions keep a card number in clear", n)
	}
}

// TestProcessOneVoidAndDeferredRefunds: a full refund of an open sale is a
// void (the charge voided); partial refunds before settlement are deferred
// and reserve their amounts; a refund of more than is left is refused.
func TestProcessOneVoidAndDeferredRefunds(t *testing.T) {
	e := newEnv(t)
	m := e.newP1Merchant()
	code, c1 := m.post("/v1/charges", "c1", p1Charge("order-1", "10.00", p1Card("4111111111111111")))
	if code != http.StatusAccepted || c1["status"] != events.StatusSucceeded {
		t.Fatalf("charge: %d %v", code, c1)
	}
	pm := c1["payment_method"].(map[string]any)
	if pm["bin"] != "411111" || pm["last4"] != "1111" || pm["expiry_month"] != 12.0 || pm["holder_name"] != "Ann Bee" || pm["card_number"] != nil {
		t.Fatalf("payment method shown: %v", pm)
	}
	c1ID := c1["id"].(string)
	code, r1 := m.post("/v1/refunds", "r1", map[string]any{"transaction_id": c1ID})
	if code != http.StatusAccepted {
		t.Fatalf("refund: %d %v", code, r1)
	}
	r1tx := m.waitStatus(r1["id"].(string), events.StatusSucceeded)
	if r1tx.Method != events.MethodVoid || r1tx.ParentID != c1ID || r1tx.Amount != "10.00" {
		t.Fatalf("refund: %+v", r1tx)
	}
	if c := m.waitStatus(c1ID, events.StatusVoided); c.RefundedAmount != "10.00" {
		t.Fatalf("voided charge: refunded %q", c.RefundedAmount)
	}
	if code, again := m.post("/v1/refunds", "r1-again", map[string]any{"transaction_id": c1ID}); code != http.StatusConflict ||
		again["code"] != events.ReasonInvalidState {
		t.Fatalf("refund of a voided charge: %d %v", code, again)
	}

	_, c2 := m.post("/v1/charges", "c2", p1Charge("order-2", "20.00", p1Card("4111111111111111")))
	c2ID := c2["id"].(string)
	code, r2 := m.post("/v1/refunds", "r2", map[string]any{"transaction_id": c2ID, "amount": "5.00"})
	if code != http.StatusAccepted || r2["status"] != events.StatusDeferred {
		t.Fatalf("partial refund before settlement: %d %v", code, r2)
	}
	code, r3 := m.post("/v1/refunds", "r3", map[string]any{"transaction_id": c2ID})
	if code != http.StatusAccepted || r3["status"] != events.StatusDeferred || r3["amount"] != "15.00" {
		t.Fatalf("full refund with a partial one deferred: %d %v", code, r3)
	}
	if code, r4 := m.post("/v1/refunds", "r4", map[string]any{"transaction_id": c2ID, "amount": "0.01"}); code != http.StatusUnprocessableEntity ||
		r4["code"] != events.ReasonAmountExceedsRefund {
		t.Fatalf("refund beyond what is left: %d %v", code, r4)
	}
	if n := e.count(`SELECT count(*) FROM transactions WHERE id = $1 AND reserved_amount = 20 AND refunded_amount = 0 AND status = 'succeeded'`, c2ID); n != 1 {
		t.Fatal("the deferred refunds do not hold 20.00 of the charge")
	}
}

// TestProcessOneSavedCard: save: true keeps the provider's token sealed
// under our pm_ id, which a later charge uses; an unknown pm_ id fails with
// a clear reason.
func TestProcessOneSavedCard(t *testing.T) {
	e := newEnv(t)
	m := e.newP1Merchant()
	body := p1Charge("save-1", "10.00", p1Card("4111111111111111"))
	body["save"] = true
	_, c1 := m.post("/v1/charges", "s1", body)
	if c1["status"] != events.StatusSucceeded {
		t.Fatalf("charge with save: %v", c1)
	}
	pmID, _ := c1["payment_method"].(map[string]any)["id"].(string)
	if !events.IsPaymentMethodID(pmID) {
		t.Fatalf("no pm_ id shown: %v", c1["payment_method"])
	}
	_, c2 := m.post("/v1/charges", "s2", p1Charge("save-2", "11.00", map[string]any{"type": "token", "token": pmID}))
	if c2["status"] != events.StatusSucceeded {
		t.Fatalf("charge with the saved card: %v", c2)
	}
	_, c3 := m.post("/v1/charges", "s3", p1Charge("save-3", "12.00", map[string]any{"type": "token", "token": "pm_00000000000000000000"}))
	if c3["status"] != events.StatusFailed || !strings.Contains(fmt.Sprint(c3["reason"]), "payment_method_not_found") {
		t.Fatalf("charge with an unknown pm_ id: %v", c3)
	}
	if n := e.count(`SELECT count(*) FROM payment_methods WHERE id = $1 AND token_sealed IS NOT NULL`, pmID); n != 1 {
		t.Fatalf("payment_methods rows for %s: %d", pmID, n)
	}
}

// TestOnoRefunds: a refund of an authorized ono//connect charge releases it
// (a reject); a confirmed one cannot be refunded there.
func TestOnoRefunds(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	id := natsTransport{}.create(m, "ono-1", chargeData("ono-1", "10.00"))
	m.waitStatus(id, events.StatusAuthorized)
	code, r := m.post("/v1/refunds", "ono-r1", map[string]any{"transaction_id": id})
	if code != http.StatusAccepted {
		t.Fatalf("refund of an authorized charge: %d %v", code, r)
	}
	if rt := m.waitStatus(r["id"].(string), events.StatusSucceeded); rt.Method != events.MethodVoid {
		t.Fatalf("release: %+v", rt)
	}
	m.waitStatus(id, events.StatusVoided)

	id2 := natsTransport{}.create(m, "ono-2", chargeData("ono-2", "10.00"))
	m.waitStatus(id2, events.StatusAuthorized)
	natsTransport{}.confirm(m, "ono-2-confirm", id2)
	m.waitStatus(id2, events.StatusConfirmed)
	code, r2 := m.post("/v1/refunds", "ono-r2", map[string]any{"transaction_id": id2})
	if code != http.StatusUnprocessableEntity || r2["code"] != events.ReasonUnsupportedByProvider || !strings.Contains(fmt.Sprint(r2["detail"]), "ono") {
		t.Fatalf("refund of a confirmed ono charge: %d %v", code, r2)
	}
}

// restart stops e's node and starts another on the same database and NATS
// (a deploy, or a crash without the kill: the crash tests do the SIGKILL).
func (e *env) restart() {
	e.t.Helper()
	e.node.stop()
	n, err := startNode(e.t.Context(), e.cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(n.stop)
	e.node, e.base = n, "http://"+n.httpAddr
}

// TestProcessOneDeferredRefundSettlesAfterRestart: a partial refund of an
// open sale is deferred; the orchestrator restarts; the merchant's batch
// cut-off passes (its one durable timer fires): the sale is settled, the
// deferred refund is made as a refund and the charge partially refunded;
// the rest is then refunded at once (settled: a refund, not a void).
func TestProcessOneDeferredRefundSettlesAfterRestart(t *testing.T) {
	e := newEnv(t)
	m := e.newP1Merchant()
	_, c := m.post("/v1/charges", "c1", p1Charge("settle-1", "30.00", p1Card("4111111111111111")))
	if c["status"] != events.StatusSucceeded {
		t.Fatalf("charge: %v", c)
	}
	cID := c["id"].(string)
	_, r1 := m.post("/v1/refunds", "r1", map[string]any{"transaction_id": cID, "amount": "10.00"})
	if r1["status"] != events.StatusDeferred {
		t.Fatalf("partial refund: %v", r1)
	}
	e.restart()

	// The cut-off is a wall-clock minute: the next one after the sale.
	cutoff := time.Now().UTC().Truncate(time.Minute).Add(time.Minute)
	time.Sleep(time.Until(cutoff) + 100*time.Millisecond)
	resp, err := http.Post(e.simURL+simhost.ProcessOne+"/_sim/batch/close", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var settled map[string]any
	if code := e.do("PATCH", "/v1/admin/merchants/"+m.id+"/settlement", "admin-token", "",
		fmt.Sprintf(`{"batch_cutoff":%q,"time_zone":"UTC"}`, cutoff.Format("15:04")), &settled); code != http.StatusOK {
		t.Fatalf("settlement: %d %v", code, settled)
	}
	// Its next firing is tomorrow; this one is due now (the timer service
	// fires what is due: here, the cut-off that just passed).
	if n := e.count(`WITH u AS (UPDATE timers SET due_at = now() WHERE merchant_id = $1 AND owner_kind = 'merchant' RETURNING 1)
		SELECT count(*) FROM u`, m.id); n != 1 {
		t.Fatalf("%d cut-off timers for the merchant, want 1", n)
	}
	rt := m.waitStatus(r1["id"].(string), events.StatusSucceeded)
	if rt.Method != events.MethodRefund {
		t.Fatalf("deferred refund made as %q, want refund", rt.Method)
	}
	if ct := m.waitStatus(cID, events.StatusPartiallyRefunded); ct.RefundedAmount != "10.00" {
		t.Fatalf("charge refunded %q", ct.RefundedAmount)
	}
	m.waitEvent("charge.settled", func(ev events.Event) bool {
		return ev.Subject == cID && ev.Type == events.EventType(events.TypeCharge, events.StatusSettled)
	})
	_, r2 := m.post("/v1/refunds", "r2", map[string]any{"transaction_id": cID})
	if r2["status"] != events.StatusSucceeded || r2["method"] != events.MethodRefund || r2["amount"] != "20.00" {
		t.Fatalf("refund of the rest: %v", r2)
	}
	m.waitStatus(cID, events.StatusRefunded)
}
