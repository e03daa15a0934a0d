package onoconnect

import (
	"testing"

	"github.com/switchyard/switchyard/workers/onoconnect/onoconnectsim"
	"github.com/switchyard/switchyard/workers/provider"
)

func TestConfirm(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{})
	id := b.mustCharge(t, "c1")
	for range 2 { // idempotent
		if err := b.client.Confirm(t.Context(), b.cred, id, []byte(`{"aac":"2nd-gen"}`)); err != nil {
			t.Fatalf("confirm: %v", err)
		}
	}
	if got := b.sim.Status("c1"); got != onoconnectsim.StatusConfirmed {
		t.Fatalf("Status = %q", got)
	}
	wantKind(t, b.client.Reject(t.Context(), b.cred, id), provider.KindRetryLater, "conflict")
	wantKind(t, b.client.RejectByReference(t.Context(), b.cred, "c1"), provider.KindRetryLater, "")
}

func TestConfirmConflicts(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{ConfirmConflicts: 2})
	id := b.mustCharge(t, "c1")
	for i := range 2 {
		err := b.client.Confirm(t.Context(), b.cred, id, nil)
		wantKind(t, err, provider.KindRetryLater, "")
		if pe := err.(*provider.Error); pe.Status != 409 {
			t.Fatalf("confirm %d: %v", i, err)
		}
	}
	if err := b.client.Confirm(t.Context(), b.cred, id, nil); err != nil {
		t.Fatalf("third confirm: %v", err)
	}
	if got := b.sim.Status("c1"); got != onoconnectsim.StatusConfirmed {
		t.Fatalf("Status = %q", got)
	}
}

func TestFinalizeErrors(t *testing.T) {
	t.Parallel()
	const unknownID = "11111111-1111-4111-8111-111111111111"
	tests := []struct {
		name string
		call func(b *bundle, id string) error
		kind provider.Kind
		code string
	}{
		{name: "confirm unknown", call: func(b *bundle, _ string) error {
			return b.client.Confirm(b.ctx(), b.cred, unknownID, nil)
		}, kind: provider.KindFailed, code: "not_found"},
		{name: "reject unknown", call: func(b *bundle, _ string) error {
			return b.client.Reject(b.ctx(), b.cred, unknownID)
		}, kind: provider.KindFailed, code: "not_found"},
		{name: "reject by unknown reference", call: func(b *bundle, _ string) error {
			return b.client.RejectByReference(b.ctx(), b.cred, "never-sent")
		}, kind: provider.KindFailed, code: "not_found"},
		{name: "confirm another merchant's", call: func(b *bundle, id string) error {
			c := b.cred
			c.MerchantID = "22222222-2222-4222-8222-222222222222"
			return b.client.Confirm(b.ctx(), c, id, nil)
		}, kind: provider.KindFailed, code: "not_found"},
		{name: "confirm rejected", call: func(b *bundle, id string) error {
			if err := b.client.Reject(b.ctx(), b.cred, id); err != nil {
				return err
			}
			return b.client.Confirm(b.ctx(), b.cred, id, nil)
		}, kind: provider.KindRetryLater, code: "conflict"},
		{name: "reject 500", call: func(b *bundle, id string) error {
			b.arm(`{"path":"/v2/charges/*/reject","status":500}`)
			return b.client.Reject(b.ctx(), b.cred, id)
		}, kind: provider.KindUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, onoconnectsim.Options{})
			id := b.mustCharge(t, "ref")
			wantKind(t, tt.call(b, id), tt.kind, tt.code)
		})
	}
}

func TestReject(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{})
	id := b.mustCharge(t, "r1")
	for range 2 { // idempotent
		if err := b.client.Reject(t.Context(), b.cred, id); err != nil {
			t.Fatalf("reject: %v", err)
		}
	}
	if got := b.sim.Status("r1"); got != onoconnectsim.StatusRejected {
		t.Fatalf("Status = %q", got)
	}
	b.mustCharge(t, "r2")
	for range 2 {
		if err := b.client.RejectByReference(t.Context(), b.cred, "r2"); err != nil {
			t.Fatalf("reject by reference: %v", err)
		}
	}
	if got := b.sim.Status("r2"); got != onoconnectsim.StatusRejected {
		t.Fatalf("Status = %q", got)
	}
}

func TestRejectDeclined(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{})
	resp, err := b.client.Charge(t.Context(), b.cred, chargeReq("d1", 1051))
	wantKind(t, err, provider.KindDeclined, "51")
	if err := b.client.RejectByReference(t.Context(), b.cred, "d1"); err != nil {
		t.Fatalf("reject declined: %v", err)
	}
	if got := b.sim.Status("d1"); got != onoconnectsim.StatusDeclined {
		t.Fatalf("Status = %q", got)
	}
	wantKind(t, b.client.Confirm(t.Context(), b.cred, resp.TransactionID, nil), provider.KindRetryLater, "")
}

func TestReferenceWithSlash(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{})
	b.mustCharge(t, "order/42 #1")
	if err := b.client.RejectByReference(t.Context(), b.cred, "order/42 #1"); err != nil {
		t.Fatalf("reject by reference: %v", err)
	}
	if got := b.sim.Status("order/42 #1"); got != onoconnectsim.StatusRejected {
		t.Fatalf("Status = %q", got)
	}
}
