package consent_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/lifecycle/lifecycletest"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
)

const onepipe = events.ProviderOnePipe

// Secrets the scenarios send, that must never be found in clear.
const (
	cardNumber = "5061020000000000094"
	cardCVV    = "347"
	cardPIN    = "1111"
	account    = "0001131256"
	theOTP     = "123456"
	theToken   = "ptok-SECRET-7f3a9c"
)

// setup returns a harness running the consent lifecycle, whose scripted
// operations follow onepipeconn's declared rules (consent and validate
// query first, release is repeated).
func setup(t *testing.T) *lifecycletest.Harness {
	t.Parallel()
	h := lifecycletest.New(t, consent.New())
	h.Rules(&connector.Connector{Provider: onepipe, Operations: []connector.Operation{
		{Name: consent.OpConsent, Recovery: connector.QueryFirst},
		{Name: consent.OpValidate, Recovery: connector.QueryFirst},
		{Name: consent.OpRelease, Recovery: connector.Repeat},
	}})
	return h
}

func cardAuth() map[string]any {
	return map[string]any{"type": "card", "number": cardNumber, "cvv": cardCVV, "expiry_month": 9, "expiry_year": 2030, "pin": cardPIN}
}

func bankAuth() map[string]any {
	return map[string]any{"type": "bank.account", "account_number": account, "bank_code": "058"}
}

func consentData(auth map[string]any) map[string]any {
	return map[string]any{"auth": auth, "amount": "1.00", "currency": "NGN",
		"customer": map[string]any{"customer_ref": "cus-1", "firstname": "Uju", "surname": "Usmanu", "mobile_no": "234802343132"}}
}

func validateData(id uuid.UUID, field, answer string) map[string]any {
	return map[string]any{"transaction_id": id.String(), field: answer}
}

// Provider answers.
var (
	waitingForOTP     = lifecycle.Result{Outcome: lifecycle.OK, Code: consent.CodeWaitingForOTP, Message: "Enter the OTP sent to 234802***132"}
	pendingValidation = lifecycle.Result{Outcome: lifecycle.OK, Code: consent.CodePendingValidation, Message: "Enter the amount debited from your account"}
	unknown           = lifecycle.Result{Outcome: lifecycle.Unknown, Message: "no answer"}
	released          = lifecycle.Result{Outcome: lifecycle.OK, Code: "00"}
	tokenExpiry       = lifecycletest.Start.Add(30 * 24 * time.Hour)
)

func grantedAnswer(ref string) lifecycle.Result {
	return lifecycle.Result{Outcome: lifecycle.OK, Code: "00", ProviderReference: ref,
		Data:   []byte(`{"token_expires_at":"` + tokenExpiry.Format(time.RFC3339) + `"}`),
		Secret: lifecycle.NewSecret([]byte(theToken))}
}

// expectNoSecret fails if any table of the test's database, or any event
// of the harness merchant's transactions, holds one of the secrets in
// clear. Short secrets (a PIN, an OTP) are passed as JSON strings ("1111"):
// bare, their digits turn up by chance in timestamps and ids.
func expectNoSecret(h *lifecycletest.Harness, t *testing.T, ids []uuid.UUID, secrets ...string) {
	t.Helper()
	rows, err := h.Store.Pool.Query(t.Context(), `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 5 {
		t.Fatalf("found only tables %v", tables)
	}
	var all strings.Builder
	for _, table := range tables {
		rows, err := h.Store.Pool.Query(t.Context(), `SELECT t::text FROM "`+table+`" t`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var row string
			if err := rows.Scan(&row); err != nil {
				t.Fatal(err)
			}
			all.WriteString(table + ": " + row + "\n")
		}
		rows.Close()
	}
	for _, id := range ids {
		for _, e := range h.Events(id) {
			all.Write(e.Envelope)
		}
	}
	if !strings.Contains(all.String(), "cus-1") || !strings.Contains(all.String(), "consent.pending") {
		t.Fatal("the scan does not see the consent's row and events")
	}
	for _, s := range secrets {
		if strings.Contains(all.String(), s) {
			t.Fatalf("a secret (%.3s…) is stored or published in clear", s)
		}
	}
}

// releaseOf reads the verification hold's release out of a consent's row.
func releaseOf(t *testing.T, c *store.Txn) consent.Release {
	t.Helper()
	var s consent.State
	if err := json.Unmarshal(c.Details["consent"], &s); err != nil || s.Release == nil {
		t.Fatalf("consent %s has no release state (%v)", c.ID, err)
	}
	return *s.Release
}
