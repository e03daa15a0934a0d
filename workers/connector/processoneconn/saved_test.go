package processoneconn

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
	"github.com/switchyard/switchyard/workers/processone/processonesim"
	"github.com/switchyard/switchyard/workers/provider"
)

// TestSaveThenCharge: a charge that asks to save its card or bank account
// writes the payment method row (the provider token sealed to the merchant
// and pm_ id, what may be shown of it) before its result; a later charge by
// that pm_ id pays with ProcessOne's token, and its void goes to the
// method's own kind (card or EFT). The provider token and the card's
// number and CVV appear in no result and no provider-call record.
func TestSaveThenCharge(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		pm        []byte
		shown     events.PaymentMethod
		voidPath  string
		chargeURL string
	}{
		{"card", card("4444444444444125"), events.PaymentMethod{Type: events.PaymentCard, BIN: "444444", Last4: "4125",
			Brand: "visa", ExpiryMonth: 12, ExpiryYear: 2030, HolderName: "John Stevens"},
			"/api/CreditCard/Void", "/api/CreditCard/Charge"},
		{"bank account", bank("1234567892"), events.PaymentMethod{Type: events.PaymentBankAccount, Last4: "7892",
			AccountType: "checking", HolderName: "John Stevens"}, "/api/Eft/Void", "/api/Eft/Debit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, processonesim.Options{})
			pmID := newPMID()
			saving := r.chargeTxn("10.00", tc.pm, pmID)
			ctx, rec := provider.Record(t.Context())
			res, err := r.op(t, OpCharge).Call(ctx, connector.Call{Txn: saving})
			if err != nil {
				t.Fatal(err)
			}
			want(t, "saving charge", res, lifecycle.OK, "")
			providerToken := *r.byCallback(t, saving, OpCharge).ProcessOneToken
			row, err := r.deps.Store.PaymentMethodGet(t.Context(), r.merchant, pmID)
			if err != nil {
				t.Fatalf("no payment method row after the charge: %v", err)
			}
			shown := tc.shown
			shown.ID = pmID
			if row.Shown != shown || row.Type != tc.shown.Type || row.Provider != events.ProviderProcessOne ||
				row.TransactionID != saving.ID {
				t.Fatalf("row %+v, want shown %+v", row, shown)
			}
			if bytes.Contains(row.TokenSealed, []byte(providerToken)) {
				t.Fatal("the provider token is stored in clear")
			}
			r.succeeded(t, saving, res.ProviderReference)

			later := r.chargeTxn("11.00", token(pmID), "")
			res2, err := r.op(t, OpCharge).Call(ctx, connector.Call{Txn: later})
			if err != nil {
				t.Fatal(err)
			}
			want(t, "charge by pm_ id", res2, lifecycle.OK, "")
			if got := r.byCallback(t, later, OpCharge); got.ProcessOneToken == nil || *got.ProcessOneToken != providerToken {
				t.Fatalf("the charge by pm_ id did not use the saved token: %+v", got)
			}
			if n := r.count(tc.chargeURL); n != 2 {
				t.Fatalf("%d requests to %s", n, tc.chargeURL)
			}
			r.succeeded(t, later, res2.ProviderReference)
			want(t, "void of the charge by pm_ id", r.call(t, OpVoid, r.refundTxn(later, "11.00"), false), lifecycle.OK, "")
			if n := r.count(tc.voidPath); n != 1 {
				t.Fatalf("%d requests to %s", n, tc.voidPath)
			}
			exchanges := string(rec.Exchanges())
			if !strings.Contains(exchanges, "Token") {
				t.Fatalf("the record shows no token field at all: %s", exchanges)
			}
			for _, secret := range []string{providerToken, "4444444444444125", `"987"`, "1234567892"} {
				if strings.Contains(exchanges, secret) || strings.Contains(fmt.Sprintf("%+v %+v", res, res2), secret) {
					t.Fatalf("%q shows in a result or provider-call record: %s", secret, exchanges)
				}
			}
		})
	}
}

// TestSavedMethodNotFound: a charge by a pm_ id the merchant has not saved
// (unknown, or another merchant's) fails before anything is sent.
func TestSavedMethodNotFound(t *testing.T) {
	t.Parallel()
	r := newRig(t, processonesim.Options{})
	pmID := newPMID()
	saving := r.chargeTxn("10.00", card("4111111111111111"), pmID)
	want(t, "saving charge", r.call(t, OpCharge, saving, false), lifecycle.OK, "")
	other := connectortest.Merchant(t, r.deps, map[string]string{
		events.ProviderProcessOne: `{"authentication_key":"` + processonesim.DevAuthenticationKey + `"}`})
	for name, txn := range map[string]*store.Txn{
		"unknown id":            r.chargeTxn("10.00", token(newPMID()), ""),
		"another merchant's id": r.chargeTxnOf(other, "10.00", token(pmID), ""),
	} {
		res := r.call(t, OpCharge, txn, false)
		if res.Outcome != lifecycle.Failed || res.Code != codePaymentMethodNotFound || res.Message == "" {
			t.Fatalf("%s: %+v", name, res)
		}
	}
	if n := r.count("/api/CreditCard/Charge"); n != 1 {
		t.Fatalf("%d charges sent, want only the saving one", n)
	}
}

// TestSaveRecovered: the answer to a saving charge is lost; Recover finds
// the charge and its token by CallbackId and writes the row then.
func TestSaveRecovered(t *testing.T) {
	t.Parallel()
	r := newRig(t, processonesim.Options{})
	pmID := newPMID()
	txn := r.chargeTxn("10.00", card("4111111111111111"), pmID)
	r.sim.Harness().Arm(simulatorDrop("/api/CreditCard/Charge"))
	want(t, "lost answer", r.call(t, OpCharge, txn, false), lifecycle.Unknown, "")
	if _, err := r.deps.Store.PaymentMethodGet(t.Context(), r.merchant, pmID); err != store.ErrNotFound {
		t.Fatalf("row before recovery: %v", err)
	}
	want(t, "recover", r.call(t, OpCharge, txn, true), lifecycle.OK, "")
	row, err := r.deps.Store.PaymentMethodGet(t.Context(), r.merchant, pmID)
	if err != nil || row.Shown.Last4 != "1111" {
		t.Fatalf("row after recovery: %+v %v", row, err)
	}
	plain, err := r.deps.Sealer.Open(row.TokenSealed, secretAAD(r, pmID))
	if err != nil || string(plain) != *r.byCallback(t, txn, OpCharge).ProcessOneToken {
		t.Fatalf("sealed token %q %v", plain, err)
	}
}
