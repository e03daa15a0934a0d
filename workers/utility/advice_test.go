package utility

import (
	"context"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/simulator"
)

func purchased(t *testing.T, b *bundle, meter string) PurchaseRequest {
	t.Helper()
	req := newRequest(meter, 5000)
	if _, err := b.client.Purchase(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	return req
}

func confirmation(id string) ConfirmationAdvice { return ConfirmationAdvice{Advice: Advice{ID: id}} }

func reversal(id string) ReversalAdvice {
	return ReversalAdvice{Advice: Advice{ID: id}, ReversalReason: ReversalTimedOut}
}

func TestAdvicesAreIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	req := purchased(t, b, "01000000000")
	for i := 0; i < 3; i++ {
		if err := b.client.Confirm(ctx, req.ID, confirmation("c-1")); err != nil {
			t.Fatalf("confirm #%d: %v", i, err)
		}
	}
	err := b.client.Reverse(ctx, req.ID, reversal("r-1"))
	assertKind(t, err, provider.KindDeclined, ErrInvalidAdvice)

	other := purchased(t, b, "01000000000")
	for i := 0; i < 3; i++ {
		if err := b.client.Reverse(ctx, other.ID, reversal("r-2")); err != nil {
			t.Fatalf("reverse #%d: %v", i, err)
		}
	}
	err = b.client.Confirm(ctx, other.ID, confirmation("c-2"))
	assertKind(t, err, provider.KindDeclined, ErrInvalidAdvice)
	_, err = b.client.Retry(ctx, other)
	assertKind(t, err, provider.KindDeclined, ErrReversed)
	st, _ := b.sim.Purchase(req.ID)
	if st.Confirmations != 1 || st.Issued != 1 {
		t.Fatalf("state = %+v", st)
	}
}

func TestAdviceOutcomes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	unknown := newRequest("01000000000", 5000)
	err := b.client.Confirm(ctx, unknown.ID, confirmation("c-1"))
	assertKind(t, err, provider.KindRetryLater, ErrNotFound)

	// A reversal of a purchase never received is accepted; the purchase,
	// arriving late, is refused.
	if err := b.client.Reverse(ctx, unknown.ID, reversal("r-1")); err != nil {
		t.Fatal(err)
	}
	_, err = b.client.Purchase(ctx, unknown)
	assertKind(t, err, provider.KindDeclined, ErrReversed)
	if n := b.sim.PurchaseCount(unknown.ID); n != 0 {
		t.Fatalf("PurchaseCount = %d", n)
	}

	declined := newRequest("02000000001", 5000)
	_, _ = b.client.Purchase(ctx, declined)
	err = b.client.Confirm(ctx, declined.ID, confirmation("c-2"))
	assertKind(t, err, provider.KindDeclined, ErrInvalidAdvice)
}

func TestAdviceMustMatchPath(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := purchased(t, b, "01000000000")
	adv := confirmation("c-1")
	adv.RequestID = newRequest("", 1).ID
	err := b.client.Confirm(context.Background(), req.ID, adv)
	assertKind(t, err, provider.KindDeclined, ErrFormat)
}

// TestRepeatAdviceUntilAccepted: the advice is sent again after 503, a
// time-out and a reset, and stops at the first 202.
func TestRepeatAdviceUntilAccepted(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := purchased(t, b, "01000000000")
	h := b.sim.Harness()
	h.Arm(simulator.Fault{Path: "/tokenPurchases/*/confirmations/*", Status: 503})
	h.Arm(simulator.Fault{Path: "/tokenPurchases/*/confirmations/*", DelayMS: 1000})
	h.Arm(simulator.Fault{Path: "/tokenPurchases/*/confirmations/*", Drop: true})
	bo := backoff.WithMaxRetries(backoff.NewConstantBackOff(10*time.Millisecond), 10)
	if err := b.client.ConfirmUntilFinal(context.Background(), bo, req.ID, confirmation("c-1")); err != nil {
		t.Fatal(err)
	}
	path := "/tokenPurchases/" + req.ID + "/confirmations/c-1"
	if n := h.Log().Count("POST", path); n != 4 {
		t.Fatalf("confirmation sent %d times, want 4", n)
	}
	if st, _ := b.sim.Purchase(req.ID); st.Confirmations != 1 {
		t.Fatalf("state = %+v", st)
	}
}

func TestRepeatAdviceStopsAtDecline(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := purchased(t, b, "01000000000")
	if err := b.client.Confirm(context.Background(), req.ID, confirmation("c-1")); err != nil {
		t.Fatal(err)
	}
	bo := backoff.WithMaxRetries(backoff.NewConstantBackOff(10*time.Millisecond), 10)
	err := b.client.ReverseUntilFinal(context.Background(), bo, req.ID, reversal("r-1"))
	assertKind(t, err, provider.KindDeclined, ErrInvalidAdvice)
	if n := b.sim.Harness().Log().Count("POST", "/tokenPurchases/"+req.ID+"/reversals/r-1"); n != 1 {
		t.Fatalf("reversal sent %d times, want 1", n)
	}
	// Gives up with the last error when the back-off does.
	unknown := newRequest("", 1)
	bo = backoff.WithMaxRetries(backoff.NewConstantBackOff(time.Millisecond), 2)
	err = b.client.ConfirmUntilFinal(context.Background(), bo, unknown.ID, confirmation("c-9"))
	assertKind(t, err, provider.KindRetryLater, ErrNotFound)
}
