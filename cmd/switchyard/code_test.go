package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/paycode"
	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
	"github.com/switchyard/switchyard/workers/simhost"
)

const codesCallbackSecret = "e2e-codes-callback-secret"

// codesMerchant is a merchant with a codes account whose payment
// notifications the simulator signs and sends to this orchestrator (and an
// ono//connect account).
func (e *env) codesMerchant(account paycodesim.Merchant) *tenant {
	e.t.Helper()
	m := e.newMerchantBody(`{"name":"Code Shop","providers":{"codes":{"username":"` + account.Username + `","password":"` +
		account.Password + `","callback_secret":"` + codesCallbackSecret + `"},` +
		`"onoconnect":{"merchant_id":"` + uuid.NewString() + `","transaction_token":"tok"}}}`)
	e.sims.Codes.SetAccountCallback(account.Username, e.base+"/v1/provider-callbacks/codes?merchant="+m.id, codesCallbackSecret)
	return m
}

// createCode creates a code over HTTP and waits for it to leave pending.
func (m *tenant) createCode(ref string, extra map[string]any) events.Transaction {
	m.e.t.Helper()
	body := map[string]any{"amount": "25.00", "currency": "ZAR", "reference": ref, "short_description": "Coffee and cake"}
	for k, v := range extra {
		body[k] = v
	}
	code, r := m.post("/v1/codes", ref, body)
	if code != http.StatusAccepted {
		m.e.t.Fatalf("create code %s: %d %v", ref, code, r)
	}
	return m.waitStatus(r["id"].(string), events.StatusActive)
}

// simPay has a consumer pay code at the simulator, which notifies us.
func (e *env) simPay(code string) map[string]any {
	e.t.Helper()
	resp, err := http.Post(e.simURL+simhost.Codes+"/_sim/pay", "application/json", strings.NewReader(`{"code":"`+code+`"}`))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("pay %s at the simulator: %d %v", code, resp.StatusCode, out)
	}
	return out
}

// callback posts a payment notification as the provider would, signed with
// secret.
func (e *env) callback(merchantID string, n paycode.Notification, secret string) int {
	e.t.Helper()
	body, _ := json.Marshal(n)
	req, _ := http.NewRequest("POST", e.base+"/v1/provider-callbacks/codes?merchant="+merchantID, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	req.Header.Set("X-Codes-Signature", "t="+ts+",v1="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// payments lists the payments recorded on a code.
func (m *tenant) payments(codeID string) []events.Transaction {
	m.e.t.Helper()
	var page struct{ Data []events.Transaction }
	if code := m.e.do("GET", "/v1/transactions?type=payment&parent_id="+codeID, m.apiKey, "", "", &page); code != http.StatusOK {
		m.e.t.Fatalf("search payments: %d", code)
	}
	return page.Data
}

func notification(tx events.Transaction, paymentID string) paycode.Notification {
	return paycode.Notification{Type: paycode.EventCodePaid, TransactionID: paymentID, Code: tx.Code, MerchantReference: tx.Reference,
		MerchantName: "Merchant One", Amount: decimal.RequireFromString("25.00"), Tip: decimal.Zero, Currency: "ZAR",
		UseOnce: true, CodeStatus: "USED", RRN: "000000000042", PaidAt: time.Now().UnixMilli()}
}

// TestCodes: a use-once code is created (default expiry 30 minutes), shown
// as a QR image, paid at the provider: the signed callback records a
// succeeded payment (a child of the code), code.paid carries the amount,
// tip and payer reference, and the code is used; the same callback again
// counts once; a forged one is refused; payments on a blocked and on an
// expired code are recorded and flagged; an expiry moved by an update
// moves the code's timer.
func TestCodes(t *testing.T) {
	e := newEnv(t)
	m := e.codesMerchant(paycodesim.DefaultMerchants()[0])
	start := time.Now()

	c := m.createCode("code-1", nil)
	if c.Code == "" || c.ExpiresAt == nil || c.ExpiresAt.Sub(start) < 29*time.Minute || c.ExpiresAt.Sub(start) > 31*time.Minute {
		t.Fatalf("code: %q expires %v, want a code and about 30 minutes", c.Code, c.ExpiresAt)
	}
	checkQR(t, e, m, c.ID)

	paid := e.simPay(c.Code)
	cb, _ := paid["callback"].(map[string]any)
	if cb == nil || cb["status"] != float64(http.StatusOK) {
		t.Fatalf("the simulator's callback: %v", paid)
	}
	c = m.waitStatus(c.ID, events.StatusUsed)
	ps := m.payments(c.ID)
	if len(ps) != 1 {
		t.Fatalf("%d payments on the code, want 1", len(ps))
	}
	p := m.waitStatus(ps[0].ID, events.StatusSucceeded)
	if p.Amount != "25" && p.Amount != "25.00" || p.ParentID != c.ID {
		t.Errorf("payment: %+v", p)
	}
	ev := m.waitEvent("code.paid", func(ev events.Event) bool { return ev.Type == "code.paid" && ev.Subject == c.ID })
	var detail map[string]any
	_ = json.Unmarshal(ev.Data.Detail, &detail)
	for _, k := range []string{"amount", "tip", "payer_reference", "payment_id"} {
		if detail[k] == nil || detail[k] == "" {
			t.Errorf("code.paid detail lacks %s: %v", k, detail)
		}
	}

	// The same notification again (the provider retrying) counts once.
	raw, _ := json.Marshal(paid["notification"])
	var n paycode.Notification
	if err := json.Unmarshal(raw, &n); err != nil {
		t.Fatal(err)
	}
	if code := e.callback(m.id, n, codesCallbackSecret); code != http.StatusOK {
		t.Errorf("repeated callback: %d, want 200", code)
	}
	// A forged one is refused and records nothing.
	n2 := notification(c, uuid.NewString())
	if code := e.callback(m.id, n2, "not-the-secret"); code != http.StatusUnauthorized {
		t.Errorf("forged callback: %d, want 401", code)
	}
	// The callback route commits before it answers, so a wrongly accepted
	// callback would show by now.
	if ps := m.payments(c.ID); len(ps) != 1 {
		t.Errorf("%d payments after a repeat and a forgery, want 1", len(ps))
	}

	// A payment on a blocked code (the notification raced the block) is
	// recorded and flagged.
	b := m.createCode("code-2", map[string]any{"use_once": false})
	if code, r := m.post("/v1/codes/"+b.ID+"/block", "block-2", map[string]any{}); code != http.StatusAccepted {
		t.Fatalf("block: %d %v", code, r)
	}
	b = m.waitStatus(b.ID, events.StatusBlocked)
	if code := e.callback(m.id, notification(b, uuid.NewString()), codesCallbackSecret); code != http.StatusOK {
		t.Fatalf("callback on a blocked code: %d", code)
	}
	checkFlagged(t, m, b.ID)

	// Expiry moved by an update; then a payment on the expired code.
	x := m.createCode("code-3", nil)
	at := time.Now().Add(2 * time.Second).UTC().Format(time.RFC3339Nano)
	if code, r := m.patch("/v1/codes/"+x.ID, "update-3", map[string]any{"expires_at": at}); code != http.StatusAccepted {
		t.Fatalf("update: %d %v", code, r)
	}
	x = m.waitStatusWithin(x.ID, events.StatusExpired, 15*time.Second)
	if code := e.callback(m.id, notification(x, uuid.NewString()), codesCallbackSecret); code != http.StatusOK {
		t.Fatalf("callback on an expired code: %d", code)
	}
	checkFlagged(t, m, x.ID)

	// A new amount is the code's amount everywhere: resource and row.
	a := m.createCode("code-4", nil)
	if code, r := m.putJSON("/v1/codes/"+a.ID+"/amount", "amount-4", map[string]any{"amount": "30.00"}); code != http.StatusAccepted {
		t.Fatalf("set amount: %d %v", code, r)
	}
	waitCond(t, 10*time.Second, "the new amount", func() bool {
		var amount string
		_ = e.node.store.Pool.QueryRow(t.Context(), `SELECT amount::numeric(10,2)::text FROM transactions WHERE id = $1`, a.ID).Scan(&amount)
		return amount == "30.00"
	})
	var got events.Transaction
	e.do("GET", "/v1/transactions/"+a.ID, m.apiKey, "", "", &got)
	if got.Amount != "30.00" {
		t.Errorf("resource amount %s after set_amount 30.00", got.Amount)
	}
}

// checkFlagged: the one payment on code is recorded and not succeeded, and
// the code got code.payment_unexpected.
func checkFlagged(t *testing.T, m *tenant, codeID string) {
	t.Helper()
	m.waitEvent("code.payment_unexpected on "+codeID, func(ev events.Event) bool {
		return ev.Type == "code.payment_unexpected" && ev.Subject == codeID
	})
	ps := m.payments(codeID)
	if len(ps) != 1 || ps[0].Status == events.StatusSucceeded || ps[0].Status == events.StatusPending {
		t.Errorf("payments on %s: %+v, want one flagged", codeID, ps)
	}
}

func checkQR(t *testing.T, e *env, m *tenant, id string) {
	t.Helper()
	for format, magic := range map[string]string{"png": "\x89PNG", "svg": "<svg"} {
		req, _ := http.NewRequest("GET", e.base+"/v1/codes/"+id+"/qr?format="+format, nil)
		req.Header.Set("Authorization", "Bearer "+m.apiKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b[:min(len(b), 200)]), magic) {
			t.Errorf("QR %s: %d %s %q…", format, resp.StatusCode, resp.Header.Get("Content-Type"), b[:min(len(b), 20)])
		}
	}
}

// patch sends a PATCH with an Idempotency-Key and Prefer: wait.
func (m *tenant) patch(path, idem string, body any) (int, map[string]any) {
	m.e.t.Helper()
	return m.send("PATCH", path, idem, body)
}

// putJSON sends a PUT with an Idempotency-Key and Prefer: wait.
func (m *tenant) putJSON(path, idem string, body any) (int, map[string]any) {
	m.e.t.Helper()
	return m.send("PUT", path, idem, body)
}

func (m *tenant) send(method, path, idem string, body any) (int, map[string]any) {
	m.e.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, m.e.base+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+m.apiKey)
	req.Header.Set("Idempotency-Key", idem)
	req.Header.Set("Prefer", "wait=10")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		m.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}
