package consent_test

import (
	"encoding/json"
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

// expectNoSecret is the harness's scan of every table and the events of
// ids for secrets in clear (lifecycletest.Harness.ExpectNoSecret).
func expectNoSecret(h *lifecycletest.Harness, t *testing.T, ids []uuid.UUID, secrets ...string) {
	t.Helper()
	h.ExpectNoSecret(ids, []string{"cus-1", "consent.pending"}, secrets...)
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
