package store_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// TestPaymentMethodSaveGet: a saved payment method reads back as written;
// saving the same id again changes nothing (the first token stays); another
// merchant does not see it; an unknown id is ErrNotFound.
func TestPaymentMethodSaveGet(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	charge := b.newTxn(t, nil)
	pm := &store.PaymentMethod{MerchantID: b.merchant, ID: "pm_0123456789abcdefABCD", Provider: "processone",
		Type: events.PaymentCard, CustomerID: "cust-1", TokenSealed: []byte("sealed-1"), TransactionID: charge.ID,
		Shown: events.PaymentMethod{Type: events.PaymentCard, BIN: "411111", Last4: "1111", Brand: "visa",
			ExpiryMonth: 12, ExpiryYear: 2030, HolderName: "John Stevens", ID: "pm_0123456789abcdefABCD"}}
	if err := b.st.PaymentMethodSave(ctx, pm); err != nil {
		t.Fatal(err)
	}
	again := *pm
	again.TokenSealed, again.Type = []byte("sealed-2"), events.PaymentBankAccount
	if err := b.st.PaymentMethodSave(ctx, &again); err != nil {
		t.Fatalf("second save: %v", err)
	}
	got, err := b.st.PaymentMethodGet(ctx, b.merchant, pm.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.TokenSealed, []byte("sealed-1")) || got.Type != events.PaymentCard || got.Shown != pm.Shown ||
		got.Provider != "processone" || got.CustomerID != "cust-1" || got.TransactionID != charge.ID ||
		time.Since(got.CreatedAt) > time.Minute {
		t.Fatalf("read back %+v", got)
	}
	other := b.newMerchant(t)
	if _, err := b.st.PaymentMethodGet(ctx, other, pm.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another merchant's lookup: %v, want ErrNotFound", err)
	}
	if _, err := b.st.PaymentMethodGet(ctx, b.merchant, "pm_"+uuid.NewString()[:20]); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown id: %v, want ErrNotFound", err)
	}
}
