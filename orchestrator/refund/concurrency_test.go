package refund_test

import (
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/refund"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// TestConcurrentPartialRefundsNeverExceedCharge: 20 partial refunds of
// 7.00 of a 100.00 charge (140.00 in all), sent at once through the
// engine. The charge's row lock orders them: exactly 14 fit (98.00) and
// are accepted, 6 are rejected amount_exceeds_refundable, none fails, and
// what is refunded and reserved never exceeds the charge. The 2.00 left is
// still refundable, and the accepted ones all complete.
func TestConcurrentPartialRefundsNeverExceedCharge(t *testing.T) {
	h := setup(t, refund.Policy{})
	chargeID := newCharge(h, t, p1, events.StatusSettled, "0")
	const n = 20
	outs := make([]engine.Outcome, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		cmd := h.NewCommand(events.RefundCreate, refundData(chargeID, "7.00"))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			outs[i], errs[i] = h.Handle(cmd)
		}()
	}
	done := make(chan struct{})
	watched := make(chan int)
	go func() { watched <- watchCharge(t, h.Store, h.Merchant, chargeID, done) }()
	close(start)
	wg.Wait()
	close(done)
	if reads := <-watched; reads == 0 {
		t.Fatal("the charge was never read while the refunds ran")
	}

	var accepted []uuid.UUID
	for i := range n {
		switch {
		case errs[i] != nil:
			t.Fatalf("refund %d failed: %v", i, errs[i])
		case outs[i].Rejected == nil:
			accepted = append(accepted, outs[i].TransactionID)
		case outs[i].Rejected.Code != events.ReasonAmountExceedsRefund:
			t.Fatalf("refund %d rejected %+v, want amount_exceeds_refundable", i, outs[i].Rejected)
		}
	}
	if len(accepted) != 14 {
		t.Fatalf("%d refunds of 7.00 accepted, want exactly the 14 that fit in 100.00", len(accepted))
	}
	c := expectCharge(h, t, chargeID, events.StatusSettled, "0", "98")
	if c.RefundedAmount.Add(c.ReservedAmount).GreaterThan(c.Amount) {
		t.Fatalf("refunded %s + reserved %s exceed %s", c.RefundedAmount, c.ReservedAmount, c.Amount)
	}

	script := h.Provider(p1, refund.OpRefund)
	for range accepted {
		script.Returns(ok(""))
	}
	h.RunWork()
	for _, id := range accepted {
		expectRefund(h, t, id, events.StatusSucceeded, events.MethodRefund)
	}
	expectCharge(h, t, chargeID, events.StatusPartiallyRefunded, "98", "0")
	last := create(h, chargeID, "")
	if r := h.Txn(last); !r.Amount.Equal(dec("2")) {
		t.Fatalf("what is left is %s, want 2.00", r.Amount)
	}
	h.Provider(p1, refund.OpRefund).Returns(ok(""))
	h.RunWork()
	expectCharge(h, t, chargeID, events.StatusRefunded, "100", "0")
}

// watchCharge reads the charge until done, failing the test if what is
// refunded and reserved ever exceeds its amount; it returns how many reads
// it made.
func watchCharge(t *testing.T, st *store.Store, merchantID, id uuid.UUID, done <-chan struct{}) int {
	for reads := 0; ; reads++ {
		select {
		case <-done:
			return reads
		default:
		}
		c, err := st.TransactionGet(t.Context(), merchantID, id)
		if err != nil {
			t.Errorf("read the charge: %v", err)
			return reads
		}
		if c.RefundedAmount.Add(c.ReservedAmount).GreaterThan(c.Amount) {
			t.Errorf("refunded %s + reserved %s exceed %s", c.RefundedAmount, c.ReservedAmount, c.Amount)
		}
	}
}
