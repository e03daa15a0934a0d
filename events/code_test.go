package events_test

import (
	"errors"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
)

func strp(s string) *string { return &s }

// TestCodeCommandsValidate: the shape checks of code.update,
// code.set_amount, the actions and payment.record, each naming its field.
func TestCodeCommandsValidate(t *testing.T) {
	id := "6f1c3a52-8d0e-4c1b-9a57-3e2f7b9d4c10"
	paid := events.CodePaymentData{Code: "8227541409", ProviderPaymentID: "p-1", Amount: "10.50", Tip: "0", Currency: "ZAR", PaidAt: time.Now()}
	for _, tc := range []struct {
		name  string
		v     interface{ Validate() error }
		field string
	}{
		{"update ok", &events.CodeUpdateData{TransactionID: id, ShortDescription: strp("Basket of Goods")}, ""},
		{"update names nothing", &events.CodeUpdateData{TransactionID: id}, "data"},
		{"update no id", &events.CodeUpdateData{ShortDescription: strp("Basket of Goods")}, "data.transaction_id"},
		{"update short description", &events.CodeUpdateData{TransactionID: id, ShortDescription: strp("abc")}, "data.short_description"},
		{"update expiry format", &events.CodeUpdateData{TransactionID: id, ExpiresAt: strp("soon")}, "data.expires_at"},
		{"update expiry empty", &events.CodeUpdateData{TransactionID: id, ExpiresAt: strp("")}, "data.expires_at"},
		{"update expiry never", &events.CodeUpdateData{TransactionID: id, ExpiresAt: strp("never")}, ""},
		{"update product url", &events.CodeUpdateData{TransactionID: id, ProductURL: strp("ftp://x")}, "data.product_url"},
		{"amount ok", &events.CodeAmountData{TransactionID: id, Amount: "0"}, ""},
		{"amount negative", &events.CodeAmountData{TransactionID: id, Amount: "-1"}, "data.amount"},
		{"amount expiry", &events.CodeAmountData{TransactionID: id, Amount: "1", ExpiresAt: "x"}, "data.expires_at"},
		{"action no uuid", &events.CodeActionData{TransactionID: "x"}, "data.transaction_id"},
		{"payment ok", &paid, ""},
		{"payment no code", &events.CodePaymentData{ProviderPaymentID: "p", Amount: "1", Currency: "ZAR", PaidAt: time.Now()}, "data.code"},
		{"payment no id", &events.CodePaymentData{Code: "1", Amount: "1", Currency: "ZAR", PaidAt: time.Now()}, "data.provider_payment_id"},
		{"payment no time", &events.CodePaymentData{Code: "1", ProviderPaymentID: "p", Amount: "1", Currency: "ZAR"}, "data.paid_at"},
		{"payment amount", &events.CodePaymentData{Code: "1", ProviderPaymentID: "p", Amount: "0", Currency: "ZAR", PaidAt: time.Now()}, "data.amount"},
		{"payment tip", &events.CodePaymentData{Code: "1", ProviderPaymentID: "p", Amount: "1", Tip: "-1", Currency: "ZAR", PaidAt: time.Now()}, "data.tip"},
	} {
		err := tc.v.Validate()
		var fe *events.FieldError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v, want valid", tc.name, err)
		case tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field):
			t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
		}
	}
}
