package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/simhost"
)

const (
	opCard = `{"type":"card","number":"5061040000000000215","cvv":"123","expiry_month":12,"expiry_year":2030,"pin":"1234"}`
	opBank = `{"type":"bank.account","account_number":"0123456789","bank_code":"058"}`
)

func (e *env) newOnePipeMerchant() *tenant {
	e.t.Helper()
	return e.newMerchantBody(fmt.Sprintf(`{"name":"Shop","confirm_deadline":"15m","providers":{`+
		`"onoconnect":{"merchant_id":%q,"transaction_token":"tok"},"onepipe":{"api_key":%q,"secret":%q}}}`,
		uuid.NewString(), onepipesim.DefaultSimAPIKey, onepipesim.DefaultSimSecret))
}

func (e *env) onepipeSim(what, body string) {
	e.t.Helper()
	resp, err := http.Post(e.simURL+simhost.OnePipe+"/_sim/"+what, "application/json", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		e.t.Fatalf("onepipe sim %s: %s", what, resp.Status)
	}
}

func consentBody(ref, auth string) map[string]any {
	return map[string]any{"auth": rawJSON(auth), "customer": rawJSON(`{"customer_ref":"c-` + ref + `","firstname":"Ada","surname":"Obi","mobile_no":"2348012345678"}`),
		"amount": "1.00", "currency": "NGN", "reference": ref}
}

type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// grant runs a consent through its OTP (or validation answer) to granted.
func (m *tenant) grant(ref, auth, answer string) string {
	m.e.t.Helper()
	code, c := m.post("/v1/consents", ref, consentBody(ref, auth))
	if code != http.StatusAccepted || (c["status"] != events.StatusAwaitingOTP && c["status"] != events.StatusAwaitingValidation) {
		m.e.t.Fatalf("consent: %d %v", code, c)
	}
	id := c["id"].(string)
	field := "otp"
	if c["status"] == events.StatusAwaitingValidation {
		field = "value"
	}
	code, v := m.post("/v1/consents/"+id+"/validate", ref+"-validate", map[string]any{field: answer})
	if code != http.StatusAccepted || v["status"] != events.StatusGranted || v["token_expires_at"] == nil {
		m.e.t.Fatalf("validate: %d %v", code, v)
	}
	return id
}

// TestOnePipeConsentHoldFlow: card and bank-account consents granted with
// the simulator's OTP; holds captured in part and released; capturing more
// than is held is refused; a wrong OTP fails the consent with the
// provider's code; and no OTP, secure value, provider token, card number or
// PIN shows in the logs, the events or any table.
func TestOnePipeConsentHoldFlow(t *testing.T) {
	var logs syncLog
	e := newEnvWith(t, allRoles, func(c *nodeConfig) {
		c.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	m := e.newOnePipeMerchant()
	// OTPs that cannot be mistaken for part of another value in the scan.
	const otp, wrongOTP = "482913", "771655"
	e.onepipeSim("config", `{"otp":"`+otp+`"}`)
	cardConsent := m.grant("consent-card", opCard, otp)

	code, h := m.post("/v1/holds", "hold-1", map[string]any{"consent_id": cardConsent, "amount": "500.00", "currency": "NGN"})
	if code != http.StatusAccepted || h["status"] != events.StatusHeld || h["hold_expires_at"] == nil {
		t.Fatalf("hold: %d %v", code, h)
	}
	hold1 := h["id"].(string)
	if code, x := m.post("/v1/holds/"+hold1+"/capture", "cap-too-much", map[string]any{"amount": "500.01"}); code != http.StatusUnprocessableEntity ||
		x["code"] != events.ReasonAmountExceedsRefund {
		t.Fatalf("capture more than held: %d %v", code, x)
	}
	if code, x := m.post("/v1/holds/"+hold1+"/capture", "cap-1", map[string]any{"amount": "300.00"}); code != http.StatusAccepted || x["status"] != events.StatusCaptured {
		t.Fatalf("capture: %d %v", code, x)
	}
	_, h2 := m.post("/v1/holds", "hold-2", map[string]any{"consent_id": cardConsent, "amount": "200.00", "currency": "NGN"})
	if code, x := m.post("/v1/holds/"+h2["id"].(string)+"/release", "rel-2", map[string]any{}); code != http.StatusAccepted || x["status"] != events.StatusReleased {
		t.Fatalf("release: %d %v", code, x)
	}

	e.onepipeSim("config", `{"consent_status":"PendingValidation"}`)
	bankConsent := m.grant("consent-bank", opBank, otp)
	_, h3 := m.post("/v1/holds", "hold-3", map[string]any{"consent_id": bankConsent, "amount": "50.00", "currency": "NGN"})
	if h3["status"] != events.StatusHeld {
		t.Fatalf("bank hold: %v", h3)
	}
	e.onepipeSim("config", `{"consent_status":"WaitingForOTP"}`)

	_, c := m.post("/v1/consents", "consent-wrong", consentBody("consent-wrong", opCard))
	_, v := m.post("/v1/consents/"+c["id"].(string)+"/validate", "consent-wrong-validate", map[string]any{"otp": wrongOTP})
	if v["status"] != events.StatusFailed || fmt.Sprint(v["reason"]) == "<nil>" || !strings.Contains(fmt.Sprint(v["reason"]), "55") {
		t.Fatalf("wrong OTP: %v", v)
	}

	// The provider token, as sealed in the consent, must show nowhere.
	txn, err := e.node.store.TransactionGet(t.Context(), uuid.MustParse(m.id), uuid.MustParse(cardConsent))
	if err != nil {
		t.Fatal(err)
	}
	token, err := consent.ProviderToken(e.node.engine.Sealer(), txn)
	if err != nil || token == "" {
		t.Fatalf("provider token: %q %v", token, err)
	}
	secrets := map[string]string{"OTP": otp, "provider token": token, "card number": "5061040000000000215",
		"PIN": `"1234"`, "wrong OTP": wrongOTP}
	var tables bytes.Buffer
	for _, table := range []string{"transactions", "transaction_events", "outbox", "commands", "http_answers", "provider_calls", "work_items", "timers"} {
		rows, err := e.node.store.Pool.Query(t.Context(), `SELECT t::text FROM `+table+` t`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			_ = rows.Scan(&s)
			tables.WriteString(table + ": " + s + "\n")
		}
		rows.Close()
	}
	var evs bytes.Buffer
	for _, ev := range m.snapshot() {
		fmt.Fprintf(&evs, "%+v\n", ev)
	}
	for what, s := range secrets {
		for where, text := range map[string]string{"tables": tables.String(), "events": evs.String(), "logs": logs.String()} {
			if i := strings.Index(text, s); i >= 0 {
				line := text[strings.LastIndex(text[:i], "\n")+1:]
				if j := strings.Index(line, "\n"); j >= 0 {
					line = line[:j]
				}
				t.Errorf("the %s shows in the %s: …%s… (in %.40s…)", what, where, text[max(0, i-60):min(len(text), i+len(s)+20)], line)
			}
		}
	}
	if tables.Len() == 0 || evs.Len() == 0 || logs.Len() == 0 {
		t.Fatalf("nothing scanned: %d %d %d bytes", tables.Len(), evs.Len(), logs.Len())
	}
}

// TestOnePipeExpiries: a hold asked after the consent's token expired is
// refused consent_expired; a hold not captured or released by its expiry
// is released at the provider by its durable timer and becomes expired.
func TestOnePipeExpiries(t *testing.T) {
	e := newEnv(t)
	m := e.newOnePipeMerchant()
	// The token outlives the hold (its expiry is to the second: a 1 s token
	// could expire before the hold is asked).
	e.onepipeSim("config", `{"token_ttl_seconds":3,"hold_ttl_seconds":1}`)
	id := m.grant("consent-short", opCard, onepipesim.DefaultSimOTP)
	_, h := m.post("/v1/holds", "hold-short", map[string]any{"consent_id": id, "amount": "10.00", "currency": "NGN"})
	if h["status"] != events.StatusHeld {
		t.Fatalf("hold: %v", h)
	}
	m.waitStatusWithin(h["id"].(string), events.StatusExpired, 15*time.Second)
	var c events.Transaction
	e.do("GET", "/v1/transactions/"+id, m.apiKey, "", "", &c)
	if c.TokenExpiresAt == nil {
		t.Fatalf("consent without token_expires_at: %+v", c)
	}
	time.Sleep(time.Until(*c.TokenExpiresAt) + 100*time.Millisecond)
	if code, x := m.post("/v1/holds", "hold-late", map[string]any{"consent_id": id, "amount": "10.00", "currency": "NGN"}); code != http.StatusUnprocessableEntity ||
		x["code"] != events.ReasonConsentExpired {
		t.Fatalf("hold after the token expired: %d %v", code, x)
	}
}

// TestOnePipeReleaseRacesCapture: release and capture of one hold at once:
// exactly one wins, the other is invalid_state.
func TestOnePipeReleaseRacesCapture(t *testing.T) {
	e := newEnv(t)
	m := e.newOnePipeMerchant()
	id := m.grant("consent-race", opCard, onepipesim.DefaultSimOTP)
	for i := 0; i < 5; i++ {
		_, h := m.post("/v1/holds", fmt.Sprintf("hold-race-%d", i), map[string]any{"consent_id": id, "amount": "10.00", "currency": "NGN"})
		hid := h["id"].(string)
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for j, path := range []string{"/release", "/capture"} {
			wg.Go(func() { codes[j], _ = m.post("/v1/holds/"+hid+path, fmt.Sprintf("race-%d-%d", i, j), map[string]any{}) })
		}
		wg.Wait()
		won := 0
		for _, c := range codes {
			switch c {
			case http.StatusAccepted:
				won++
			case http.StatusConflict:
			default:
				t.Fatalf("race %d: answers %v", i, codes)
			}
		}
		if won != 1 {
			t.Fatalf("race %d: answers %v, want exactly one 202 and one 409 invalid_state", i, codes)
		}
	}
}

// syncLog is a log sink safe for the node's goroutines.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }

func (l *syncLog) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func (l *syncLog) Len() int { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Len() }
