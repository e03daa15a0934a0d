package onepipe

import (
	"context"
	"errors"
	"testing"

	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/provider/providertest"
)

// TestHoldOutcomes runs the shared outcome suite on a hold (a transact
// call); a query by its transaction_ref tells whether it was placed.
func TestHoldOutcomes(t *testing.T) {
	t.Parallel()
	providertest.RunOutcomeSuite(t, providertest.Case{
		Path: PathTransact, Timeout: testTimeout,
		Setup: func(t *testing.T) providertest.Rig {
			b := setup(t, onepipesim.Options{})
			_, v := b.consent(t, RequestHoldFunds)
			holdRef := ref("hold")
			return providertest.Rig{
				Harness: b.sim.Harness(),
				Call: func(ctx context.Context) error {
					_, err := b.client.Hold(ctx, Hold{RequestRef: ref("req"), TransactionRef: holdRef,
						Token: v.ProviderToken, Amount: dec("10.00")})
					return err
				},
				Landed: func(t *testing.T) bool { return b.held(t, holdRef) },
			}
		},
		Refused: func(ctx context.Context, base string) error {
			c, err := NewClient(Config{BaseURL: base, APIKey: "k", Secret: "s", Timeout: testTimeout})
			if err != nil {
				return err
			}
			_, err = c.Hold(ctx, Hold{RequestRef: ref("req"), TransactionRef: ref("hold"), Token: "t", Amount: dec("1")})
			return err
		},
	})
}

// held reports whether query finds the hold placed (false when OnePipe does
// not know the transaction).
func (b *bundle) held(t *testing.T, holdRef string) bool {
	t.Helper()
	q, err := b.client.Query(ctx, ref("req"), holdRef)
	if errors.Is(err, ErrNotFound) {
		return false
	}
	if err != nil || q.TransactionStatus != StateHeld {
		t.Fatalf("query = %+v, %v; want Held or not found", q, err)
	}
	return true
}
