package hold_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/orchestrator/hold"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/lifecycle/lifecycletest"
	"github.com/switchyard/switchyard/workers/connector"
)

const onepipe = events.ProviderOnePipe

// Secrets the scenarios send, that must never be found in clear.
const (
	cardNumber = "5061020000000000094"
	cardPIN    = "1111"
	account    = "0001131256"
	theOTP     = "123456"
	theToken   = "ptok-SECRET-7f3a9c"
)

// setup returns a harness running the consent and hold lifecycles, whose
// scripted OnePipe operations follow onepipeconn's declared rules. A
// consent's release and a hold's are one operation ("release") of the
// connector, answered by one script.
func setup(t *testing.T) *lifecycletest.Harness {
	t.Parallel()
	h := lifecycletest.New(t, consent.New(), hold.New())
	h.Rules(&connector.Connector{Provider: onepipe, Operations: []connector.Operation{
		{Name: consent.OpConsent, Recovery: connector.QueryFirst},
		{Name: consent.OpValidate, Recovery: connector.QueryFirst},
		{Name: hold.OpHold, Recovery: connector.QueryFirst},
		{Name: hold.OpCapture, Recovery: connector.QueryFirst},
		{Name: hold.OpRelease, Recovery: connector.Repeat},
	}})
	return h
}

func cardAuth() map[string]any {
	return map[string]any{"type": "card", "number": cardNumber, "cvv": "347", "expiry_month": 9, "expiry_year": 2030, "pin": cardPIN}
}

func bankAuth() map[string]any {
	return map[string]any{"type": "bank.account", "account_number": account, "bank_code": "058"}
}

func consentData(auth map[string]any) map[string]any {
	return map[string]any{"auth": auth, "amount": "1.00", "currency": "NGN",
		"customer": map[string]any{"customer_ref": "cus-1", "firstname": "Uju", "surname": "Usmanu"}}
}

func holdData(consentID uuid.UUID, amount string) map[string]any {
	return map[string]any{"consent_id": consentID.String(), "amount": amount, "currency": "NGN", "metadata": map[string]string{"order": "o-1"}}
}

func onHold(id uuid.UUID) map[string]any { return map[string]any{"transaction_id": id.String()} }

func captureData(id uuid.UUID, amount string) map[string]any {
	d := onHold(id)
	if amount != "" {
		d["amount"] = amount
	}
	return d
}

// Provider answers.
var (
	waitingForOTP = lifecycle.Result{Outcome: lifecycle.OK, Code: consent.CodeWaitingForOTP, Message: "Enter the OTP"}
	unknown       = lifecycle.Result{Outcome: lifecycle.Unknown, Message: "no answer"}
	ok            = lifecycle.Result{Outcome: lifecycle.OK, Code: "00"}
)

func grantedAnswer(tokenExpiry time.Time) lifecycle.Result {
	return lifecycle.Result{Outcome: lifecycle.OK, Code: "00", ProviderReference: "op-consent",
		Data:   []byte(`{"token_expires_at":"` + tokenExpiry.Format(time.RFC3339) + `"}`),
		Secret: lifecycle.NewSecret([]byte(theToken))}
}

func heldAnswer(expires time.Time) lifecycle.Result {
	return lifecycle.Result{Outcome: lifecycle.OK, Code: "00", ProviderReference: "op-hold",
		Data: []byte(`{"hold_expires_at":"` + expires.Format(time.RFC3339) + `"}`)}
}

// grantedConsent creates a card consent granted at once (the provider's
// OTP override), its token valid for ttl, its verification hold released.
func grantedConsent(h *lifecycletest.Harness, ttl time.Duration) uuid.UUID {
	id := h.Command(events.ConsentCreate, consentData(cardAuth()))
	h.Provider(onepipe, consent.OpConsent).Returns(grantedAnswer(h.Now().Add(ttl)))
	h.Provider(onepipe, hold.OpRelease).Returns(ok)
	h.RunWork()
	h.ExpectStatus(id, events.StatusGranted)
	return id
}

// heldHold places a hold of amount with a granted consent, expiring in
// 7 days.
func heldHold(h *lifecycletest.Harness, amount string) (consentID, holdID uuid.UUID) {
	consentID = grantedConsent(h, 30*24*time.Hour)
	holdID = h.Command(events.HoldCreate, holdData(consentID, amount))
	h.Provider(onepipe, hold.OpHold).Returns(heldAnswer(h.Now().Add(7 * 24 * time.Hour)))
	h.RunWork()
	h.ExpectStatus(holdID, events.StatusHeld)
	return consentID, holdID
}

func expectRejected(t *testing.T, r events.Reason, code, field, msg string) {
	t.Helper()
	if r.Code != code || (field != "" && r.Field != field) || !strings.Contains(r.Message, msg) {
		t.Fatalf("rejected %+v, want %s on %q saying %q", r, code, field, msg)
	}
}

// expectNoSecret is the harness's scan of every table and the events of
// ids for secrets in clear (lifecycletest.Harness.ExpectNoSecret).
func expectNoSecret(h *lifecycletest.Harness, t *testing.T, ids []uuid.UUID, secrets ...string) {
	t.Helper()
	h.ExpectNoSecret(ids, []string{"cus-1", "hold.held"}, secrets...)
}

// expiryTimer returns when hold id's expiry timer is due, and whether it
// is set.
func expiryTimer(h *lifecycletest.Harness, t *testing.T, id uuid.UUID) (time.Time, bool) {
	t.Helper()
	timers, err := h.Store.TimersDue(t.Context(), h.Now().AddDate(10, 0, 0), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range timers {
		if tm.OwnerID == id && tm.Kind == hold.TimerExpiry {
			return tm.DueAt, true
		}
	}
	return time.Time{}, false
}
