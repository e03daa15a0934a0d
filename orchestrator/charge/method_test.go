package charge

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

var (
	testSale = lifecycle.Provider{Name: events.ProviderProcessOne, Charges: true, Sale: true, CardNotPresent: true, SavesPaymentMethods: true,
		PaymentMethods: []string{events.PaymentCard, events.PaymentToken, events.PaymentBankAccount}, Void: true, Refund: true}
	testAuth = lifecycle.Provider{Name: events.ProviderOnoConnect, Charges: true, PaymentMethods: []string{events.PaymentCard}, ReleaseAuthorized: true}
)

func createData(provider, pm string, save bool) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"provider": provider, "amount": "10.00", "currency": "ZAR", "reference": "r-1",
		"payment_method": json.RawMessage(pm), "save": save})
	return b
}

const card = `{"type":"card","card_number":"4111111111111111","cvv":"123","expiry_month":12,"expiry_year":2030,"holder_name":"Ann Bee"}`

func TestParseChecksMethodsAgainstTheDeclaration(t *testing.T) {
	l := New(Policy{}, testSale, testAuth)
	for _, c := range []struct {
		name, provider, pm string
		save               bool
		code, field        string // "" code: accepted
	}{
		{"card", events.ProviderProcessOne, card, false, "", ""},
		{"card saved", events.ProviderProcessOne, card, true, "", ""},
		{"bank account", events.ProviderProcessOne, `{"type":"bank_account","routing_number":"021000021","account_number":"123456789","account_type":"checking","holder_name":"Ann"}`, false, "", ""},
		{"token", events.ProviderProcessOne, `{"type":"token","token":"pm_0123456789abcdef0123"}`, false, "", ""},
		{"token saved again", events.ProviderProcessOne, `{"type":"token","token":"pm_0123456789abcdef0123"}`, true, events.ReasonInvalidRequest, "data.save"},
		{"bad token", events.ProviderProcessOne, `{"type":"token","token":"tok_x"}`, false, events.ReasonInvalidRequest, "data.payment_method.token"},
		{"no expiry", events.ProviderProcessOne, `{"type":"card","card_number":"4111111111111111","cvv":"123","expiry_year":2030}`, false, events.ReasonInvalidRequest, "data.payment_method.expiry_month"},
		{"bad cvv", events.ProviderProcessOne, `{"type":"card","card_number":"4111111111111111","cvv":"12a","expiry_month":1,"expiry_year":2030}`, false, events.ReasonInvalidRequest, "data.payment_method.cvv"},
		{"bad routing", events.ProviderProcessOne, `{"type":"bank_account","routing_number":"12","account_number":"123456789","account_type":"checking","holder_name":"Ann"}`, false, events.ReasonInvalidRequest, "data.payment_method.routing_number"},
		{"ono bank account", events.ProviderOnoConnect, `{"type":"bank_account","routing_number":"021000021","account_number":"123456789","account_type":"checking","holder_name":"Ann"}`, false, events.ReasonUnsupportedByProvider, "data.payment_method.type"},
		{"ono save", events.ProviderOnoConnect, `{"type":"card"}`, true, events.ReasonUnsupportedByProvider, "data.save"},
		{"ono card present", events.ProviderOnoConnect, `{"type":"card"}`, false, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := l.Parse(events.ChargeCreate, createData(c.provider, c.pm, c.save))
			code, field := rejection(err)
			if code != c.code || field != c.field {
				t.Fatalf("got %q %q (%v), want %q %q", code, field, err, c.code, c.field)
			}
		})
	}
}

func rejection(err error) (code, field string) {
	var r *lifecycle.Rejection
	var fe *events.FieldError
	switch {
	case err == nil:
		return "", ""
	case errors.As(err, &r):
		return r.Reason.Code, r.Reason.Field
	case errors.As(err, &fe):
		return events.ReasonInvalidRequest, fe.Field
	}
	return "error", err.Error()
}

// A saved card's sale shows only BIN, last 4, expiry and holder, and the
// pm_ id it is saved under; the number and CVV stay sealed.
func TestCreateSaleShowsOnlyWhatMayBeShown(t *testing.T) {
	l := New(Policy{}, testSale)
	p, err := l.Parse(events.ChargeCreate, createData(events.ProviderProcessOne, card, true))
	if err != nil {
		t.Fatal(err)
	}
	tx := &store.Txn{ID: uuid.New(), MerchantID: uuid.New(), Type: events.TypeCharge, Details: map[string]json.RawMessage{}}
	var sealed []byte
	seal := func(_ *store.Txn, _, _ string, plain []byte) { sealed = plain }
	if _, err := l.Create(&lifecycle.Creation{Txn: tx, Parsed: p, Seal: seal}); err != nil {
		t.Fatal(err)
	}
	var r events.Transaction
	l.Show(tx, &r)
	pm := r.PaymentMethod
	if pm == nil || pm.BIN != "411111" || pm.Last4 != "1111" || pm.ExpiryMonth != 12 || pm.ExpiryYear != 2030 ||
		pm.HolderName != "Ann Bee" || !strings.HasPrefix(pm.ID, "pm_") || !events.IsPaymentMethodID(pm.ID) {
		t.Fatalf("shown %+v", pm)
	}
	if SaveAs(tx) != pm.ID {
		t.Fatalf("SaveAs %q, shown %q", SaveAs(tx), pm.ID)
	}
	if typ, _ := Method(tx); typ != events.PaymentCard {
		t.Fatalf("method %q", typ)
	}
	if !state(tx).Sale {
		t.Fatal("not a sale")
	}
	for k, v := range tx.Details {
		if strings.Contains(string(v), "4111111111111111") || strings.Contains(string(v), `"123"`) {
			t.Fatalf("details[%s] holds card data in clear: %s", k, v)
		}
	}
	if !strings.Contains(string(sealed), "4111111111111111") {
		t.Fatal("the card was not handed to the sealer")
	}
}
