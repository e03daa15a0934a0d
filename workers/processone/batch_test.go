package processone

import (
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/processone/processonesim"
)

func TestBatchRules(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	c1, err := b.charge(t, "4111111111111111", "50.00", "c1")
	mustOK(t, err)
	// Refund before close: BatchHasNotBeenClosed.
	_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c1.TransactionID})
	wantCode(t, err, CodeBatchHasNotBeenClosed)
	closed := b.sim.CloseBatch()
	if closed != c1.BatchNumber {
		t.Fatalf("closed batch %d, charge in %d", closed, c1.BatchNumber)
	}
	// Void after close: BatchHasBeenClosed.
	_, err = b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: *c1.TransactionID})
	wantCode(t, err, CodeBatchHasBeenClosed)
	// Over-refund: InvalidPartialRefundAmount.
	_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c1.TransactionID, PartialRefundAmount: dollars("50.01").Ptr()})
	wantCode(t, err, CodeInvalidPartialRefundAmount)
	// Partial, then the rest, then a second full refund.
	_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c1.TransactionID, PartialRefundAmount: dollars("20.00").Ptr()})
	mustOK(t, err)
	_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c1.TransactionID, PartialRefundAmount: dollars("30.01").Ptr()})
	wantCode(t, err, CodeInvalidPartialRefundAmount)
	full, err := b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c1.TransactionID})
	mustOK(t, err)
	info, err := b.client.TransactionGetByID(b.ctx, &GetTransactionByIDRequest{TransactionID: *full.TransactionID})
	mustOK(t, err)
	if !info.TransactionInformation.OriginalAmount.Equal(dollars("30.00").Decimal) ||
		info.TransactionInformation.TransactionType != TypeRefundCreditCard ||
		deref(info.TransactionInformation.InternalReferenceTransactionID) != *c1.TransactionID {
		t.Fatalf("refund record %+v", info.TransactionInformation)
	}
	_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c1.TransactionID})
	wantCode(t, err, CodeUnableToRefundTransaction)
}

func TestVoidInOpenBatch(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	c, err := b.charge(t, "4111111111111111", "10.00", "")
	mustOK(t, err)
	v, err := b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: *c.TransactionID, CallbackID: optional("void-1")})
	mustOK(t, err)
	if *v.TransactionID == *c.TransactionID {
		t.Fatal("void has the charge's id")
	}
	got, err := b.client.TransactionGetByID(b.ctx, &GetTransactionByIDRequest{TransactionID: *c.TransactionID})
	mustOK(t, err)
	if got.TransactionInformation.TransactionStatus != StatusVoided {
		t.Fatalf("status %d", got.TransactionInformation.TransactionStatus)
	}
	_, err = b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: *c.TransactionID})
	wantCode(t, err, CodeCreditCardVoidFailed)
	b.sim.CloseBatch()
	_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c.TransactionID})
	wantCode(t, err, CodeUnableToRefundTransaction)
	_, err = b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: "999999"})
	wantCode(t, err, CodeIncorrectTransactionID)
}

func TestEftBatchRules(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	d, err := b.debit(t, "123456789", "40.00", "")
	mustOK(t, err)
	_, err = b.client.EftRefund(b.ctx, &RefundEftRequest{TransactionID: *d.TransactionID})
	wantCode(t, err, CodeBatchHasNotBeenClosed)
	b.sim.CloseBatch()
	_, err = b.client.EftVoid(b.ctx, &VoidEftRequest{TransactionID: *d.TransactionID})
	wantCode(t, err, CodeBatchHasBeenClosed)
	_, err = b.client.EftRefund(b.ctx, &RefundEftRequest{TransactionID: *d.TransactionID, PartialRefundAmount: dollars("40.01").Ptr()})
	wantCode(t, err, CodeInvalidPartialRefundAmount)
	_, err = b.client.EftRefund(b.ctx, &RefundEftRequest{TransactionID: *d.TransactionID})
	mustOK(t, err)
	_, err = b.client.EftRefund(b.ctx, &RefundEftRequest{TransactionID: *d.TransactionID})
	wantCode(t, err, CodeUnableToRefundTransaction)
}

func TestScheduledBatchClose(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{BatchCutoff: "22:00"})
	c, err := b.charge(t, "4111111111111111", "10.00", "")
	mustOK(t, err)
	b.clock.Advance(11*time.Hour + 59*time.Minute) // 21:59
	if b.sim.OpenBatch() != c.BatchNumber {
		t.Fatal("batch closed before the cut-off")
	}
	b.clock.Advance(time.Minute) // 22:00
	if b.sim.OpenBatch() != c.BatchNumber+1 {
		t.Fatalf("open batch %d after the cut-off", b.sim.OpenBatch())
	}
	_, err = b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: *c.TransactionID})
	wantCode(t, err, CodeBatchHasBeenClosed)
	b.clock.Advance(48 * time.Hour)
	if got := b.sim.OpenBatch(); got != c.BatchNumber+3 {
		t.Fatalf("open batch %d after two more days", got)
	}
}

func TestBatchCutoffOff(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{BatchCutoff: "off"})
	b.clock.Advance(72 * time.Hour)
	if b.sim.OpenBatch() != 1 {
		t.Fatal("batch closed with the schedule off")
	}
}

func TestDuplicateTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	_, err := b.charge(t, "4111111111111111", "10.00", "")
	mustOK(t, err)
	b.clock.Advance(119 * time.Second)
	_, err = b.charge(t, "4111111111111111", "10.00", "")
	wantCode(t, err, CodeDuplicateTransaction)
	// Another amount, another policy, another card: not duplicates.
	_, err = b.charge(t, "4111111111111111", "10.01", "")
	mustOK(t, err)
	_, err = b.client.CreditCardCharge(b.ctx, &ChargeCreditCardRequest{Amount: dollars("10.00"), CreditCard: card("4111111111111111"), ClientReferenceData: refs("POL-2")})
	mustOK(t, err)
	_, err = b.charge(t, "6011601160116611", "10.00", "")
	mustOK(t, err)
	// Same last 4 is enough: the rule does not look at the whole number.
	_, err = b.charge(t, "5431111111111111", "10.00", "")
	wantCode(t, err, CodeDuplicateTransaction)
	b.clock.Advance(2 * time.Second) // 121s after the first: outside the window
	_, err = b.charge(t, "4111111111111111", "10.00", "")
	mustOK(t, err)
}

func TestAutoVoidUnsettledRefund(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{AutoVoidUnsettledRefund: true})
	c, err := b.charge(t, "4111111111111111", "10.00", "")
	mustOK(t, err)
	_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c.TransactionID, PartialRefundAmount: dollars("5.00").Ptr()})
	wantCode(t, err, CodeBatchHasNotBeenClosed)
	r, err := b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c.TransactionID})
	mustOK(t, err)
	got, err := b.client.TransactionGetByID(b.ctx, &GetTransactionByIDRequest{TransactionID: *r.TransactionID})
	mustOK(t, err)
	if got.TransactionInformation.TransactionType != TypeVoidCreditCard {
		t.Fatalf("type %d, want a void", got.TransactionInformation.TransactionType)
	}
}
