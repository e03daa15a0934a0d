package codesconn

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
)

// signed is what a provider account with secret sends at ts.
func signed(secret string, ts time.Time, body []byte) string {
	t := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(t + "." + string(body)))
	return "t=" + t + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// TestCallbackSignature: a payment notification is taken only from the
// merchant it names, signed with that merchant's callback secret within
// five minutes; anything else is refused (401), an unknown merchant is
// 404, an unreadable body 400. The same notification makes the same
// command id, so that the engine counts it once.
func TestCallbackSignature(t *testing.T) {
	t.Parallel()
	deps := connectortest.Deps(t)
	m := connectortest.Merchant(t, deps, map[string]string{
		events.ProviderCodes: `{"username":"good-user","password":"good-password","callback_secret":"cb-secret"}`})
	noSecret := connectortest.Merchant(t, deps, map[string]string{
		events.ProviderCodes: `{"username":"good-user","password":"good-password"}`})
	noCodes := connectortest.Merchant(t, deps, map[string]string{events.ProviderUtility: `{"client_id":"c","api_key":"k"}`})
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	cb := callback(deps, func() time.Time { return now })

	n := paycodesim.Notification{Type: paycodesim.EventCodePaid, TransactionID: "9d7f6a4e-pay", Code: "8227541409",
		MerchantReference: "order-1", Currency: "ZAR", CodeStatus: "USED", RRN: "000000000001", PaidAt: now.UnixMilli()}
	body, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	good := signed("cb-secret", now, body)
	for _, tc := range []struct {
		name     string
		merchant string
		sig      string
		body     []byte
		status   int // 0: accepted
	}{
		{name: "good", merchant: m.String(), sig: good, body: body},
		{name: "4 minutes old", merchant: m.String(), sig: signed("cb-secret", now.Add(-4*time.Minute), body), body: body},
		{name: "missing signature", merchant: m.String(), body: body, status: 401},
		{name: "another secret", merchant: m.String(), sig: signed("other", now, body), body: body, status: 401},
		{name: "body changed", merchant: m.String(), sig: good, body: bytes.Replace(body, []byte("order-1"), []byte("order-2"), 1), status: 401},
		{name: "stale", merchant: m.String(), sig: signed("cb-secret", now.Add(-6*time.Minute), body), body: body, status: 401},
		{name: "from the future", merchant: m.String(), sig: signed("cb-secret", now.Add(6*time.Minute), body), body: body, status: 401},
		{name: "malformed header", merchant: m.String(), sig: "v1=" + strings.Repeat("0", 64), body: body, status: 401},
		{name: "not hex", merchant: m.String(), sig: "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=zz", body: body, status: 401},
		{name: "merchant without a callback secret", merchant: noSecret.String(), sig: good, body: body, status: 401},
		{name: "merchant without a codes account", merchant: noCodes.String(), sig: good, body: body, status: 404},
		{name: "unknown merchant", merchant: uuid.NewString(), sig: good, body: body, status: 404},
		{name: "no merchant", sig: good, body: body, status: 404},
		{name: "signed garbage", merchant: m.String(), sig: signed("cb-secret", now, []byte(`{"type":"x"}`)), body: []byte(`{"type":"x"}`), status: 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/v1/provider-callbacks/codes?merchant="+tc.merchant, bytes.NewReader(tc.body))
			if tc.sig != "" {
				r.Header.Set(SignatureHeader, tc.sig)
			}
			mid, cmd, err := cb(t.Context(), r, tc.body)
			if tc.status != 0 {
				var ce *api.CallbackError
				if !errors.As(err, &ce) || ce.Status != tc.status {
					t.Fatalf("got %v, want a %d", err, tc.status)
				}
				if strings.Contains(ce.Message, "cb-secret") {
					t.Fatalf("the refusal shows the secret: %s", ce.Message)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if mid != m || cmd.Type != events.PaymentRecord || cmd.ID != uuid.NewSHA1(m, []byte("codes-payment:9d7f6a4e-pay")).String() {
				t.Fatalf("merchant %s, command %+v", mid, cmd)
			}
			var d events.CodePaymentData
			if err := json.Unmarshal(cmd.Data, &d); err != nil {
				t.Fatal(err)
			}
			want := events.CodePaymentData{Code: "8227541409", MerchantReference: "order-1", ProviderPaymentID: "9d7f6a4e-pay",
				Amount: "0.00", Tip: "0.00", Currency: "ZAR", PayerReference: "000000000001", PaidAt: now, CodeStatus: "USED"}
			if d != want {
				t.Fatalf("data %+v, want %+v", d, want)
			}
		})
	}
}

// TestCallbackFromSimulator: the simulator's signed notification of a real
// payment is taken, and a simulator-signed one of another account's secret
// is not.
func TestCallbackFromSimulator(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	// the rig's merchant has no callback secret: give one to a second merchant
	m := connectortest.Merchant(t, r.deps, map[string]string{
		events.ProviderCodes: `{"username":"good-user","password":"good-password","callback_secret":"sim-secret"}`})
	type got struct {
		status int
		cmd    *events.Command
	}
	results := make(chan got, 4)
	cb := Callback(r.deps)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body := new(bytes.Buffer)
		_, _ = body.ReadFrom(req.Body)
		_, cmd, err := cb(req.Context(), req, body.Bytes())
		status := 0
		var ce *api.CallbackError
		switch {
		case errors.As(err, &ce):
			status = ce.Status
		case err != nil:
			status = http.StatusServiceUnavailable
		}
		if status != 0 {
			w.WriteHeader(status)
		}
		results <- got{status: status, cmd: cmd}
	}))
	t.Cleanup(recv.Close)

	for _, tc := range []struct {
		secret string
		ok     bool
	}{{"sim-secret", true}, {"wrong-secret", false}} {
		r.sim.SetAccountCallback("good-user", recv.URL+"/v1/provider-callbacks/codes?merchant="+m.String(), tc.secret)
		txn := r.created(t, spec("10"))
		if _, err := r.sim.Pay(t.Context(), paycodesim.PayRequest{Code: txn.ProviderReference}); err != nil {
			t.Fatal(err)
		}
		g := <-results
		if tc.ok != (g.status == 0) {
			t.Fatalf("secret %s: status %d, want accepted %v", tc.secret, g.status, tc.ok)
		}
		if tc.ok {
			var d events.CodePaymentData
			if err := json.Unmarshal(g.cmd.Data, &d); err != nil || d.Code != txn.ProviderReference || d.MerchantReference != txn.Reference || d.Amount != "10.00" {
				t.Fatalf("data %s (%v), want the payment of %s", g.cmd.Data, err, txn.ProviderReference)
			}
		}
	}
}
