package onoconnect

import (
	"context"
	"testing"

	"github.com/switchyard/switchyard/workers/onoconnect/onoconnectsim"
	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/provider/providertest"
)

// TestChargeOutcomes runs the shared outcome suite on a charge. ono//connect
// documents a charge 500 as unknown. After every unknown outcome the
// recovery rule holds: the charge was received once, and reject by
// reference reverses it, or finds it never landed.
func TestChargeOutcomes(t *testing.T) {
	t.Parallel()
	providertest.RunOutcomeSuite(t, providertest.Case{
		Path: pathCharges, Timeout: testTimeout,
		Statuses: map[int]provider.Kind{500: provider.KindUnknown},
		Setup: func(t *testing.T) providertest.Rig {
			b := setup(t, onoconnectsim.Options{})
			return providertest.Rig{
				Harness: b.sim.Harness(),
				Call: func(ctx context.Context) error {
					_, err := b.client.Charge(ctx, b.cred, chargeReq("u1", 1000))
					return err
				},
				Landed:  func(*testing.T) bool { return b.sim.Status("u1") != "" },
				Recover: b.rejectByReference("u1"),
			}
		},
		Refused: func(ctx context.Context, base string) error {
			_, err := NewClient(base, testTimeout).Charge(ctx, Credentials{MerchantID: testMerchant, TransactionToken: "t"}, chargeReq("x", 1000))
			return err
		},
	})
}

// rejectByReference is the recovery after a charge with an unknown outcome.
func (b *bundle) rejectByReference(ref string) func(t *testing.T, landed bool) {
	return func(t *testing.T, landed bool) {
		t.Helper()
		if n := b.sim.ChargeCount(ref); n != 1 {
			t.Fatalf("ChargeCount = %d, want 1", n)
		}
		err := b.client.RejectByReference(t.Context(), b.cred, ref)
		if !landed {
			wantKind(t, err, provider.KindFailed, "not_found")
			if got := b.sim.Status(ref); got != "" {
				t.Fatalf("Status = %q, want none", got)
			}
			return
		}
		if err != nil {
			t.Fatalf("reject by reference: %v", err)
		}
		if got := b.sim.Status(ref); got != onoconnectsim.StatusRejected {
			t.Fatalf("Status = %q, want rejected", got)
		}
	}
}

// TestFinalizeOutcomes runs the suite on confirm and reject by reference:
// both are idempotent, so every 5xx is unknown, and 409 asks for a retry.
func TestFinalizeOutcomes(t *testing.T) {
	t.Parallel()
	calls := []struct {
		name, path string
		acted      string // the charge's status once the call acted
		call       func(ctx context.Context, c *Client, cred Credentials, id, ref string) error
	}{
		{"confirm", pathCharges + "/*/confirm", onoconnectsim.StatusConfirmed,
			func(ctx context.Context, c *Client, cred Credentials, id, _ string) error {
				return c.Confirm(ctx, cred, id, nil)
			}},
		{"reject by reference", pathByReference + "*/reject", onoconnectsim.StatusRejected,
			func(ctx context.Context, c *Client, cred Credentials, _, ref string) error {
				return c.RejectByReference(ctx, cred, ref)
			}},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			providertest.RunOutcomeSuite(t, providertest.Case{
				Path: tc.path, Timeout: testTimeout,
				Statuses: map[int]provider.Kind{500: provider.KindUnknown, 409: provider.KindRetryLater},
				Setup: func(t *testing.T) providertest.Rig {
					b := setup(t, onoconnectsim.Options{})
					id := b.mustCharge(t, "f1")
					return providertest.Rig{
						Harness: b.sim.Harness(),
						Call:    func(ctx context.Context) error { return tc.call(ctx, b.client, b.cred, id, "f1") },
						Landed:  func(*testing.T) bool { return b.sim.Status("f1") == tc.acted },
					}
				},
				Refused: func(ctx context.Context, base string) error {
					return tc.call(ctx, NewClient(base, testTimeout), Credentials{MerchantID: testMerchant, TransactionToken: "t"}, "id", "x")
				},
			})
		})
	}
}
