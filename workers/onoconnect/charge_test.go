package onoconnect

import (
	"testing"

	"github.com/switchyard/switchyard/workers/onoconnect/onoconnectsim"
	"github.com/switchyard/switchyard/workers/provider"
)

func TestCharge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     onoconnectsim.Options
		amount   int64
		mutate   func(*ChargeRequest)
		wantKind provider.Kind
		wantCode string
		wantMsg  string
		status   string
	}{
		{name: "approved", amount: 1000, wantCode: "00", wantMsg: "Approved or completed successfully", status: onoconnectsim.StatusApproved},
		{name: "cents 51 insufficient funds", amount: 1051, wantKind: provider.KindDeclined, wantCode: "51", wantMsg: "Not sufficient funds", status: onoconnectsim.StatusDeclined},
		{name: "cents 05 do not honour", amount: 2005, wantKind: provider.KindDeclined, wantCode: "05", wantMsg: "Do not honour", status: onoconnectsim.StatusDeclined},
		{name: "table decline", opts: onoconnectsim.Options{Declines: map[int64]string{777: "54"}}, amount: 777, wantKind: provider.KindDeclined, wantCode: "54", status: onoconnectsim.StatusDeclined},
		{name: "table approves over default", opts: onoconnectsim.Options{Declines: map[int64]string{1051: "00"}}, amount: 1051, wantCode: "00", status: onoconnectsim.StatusApproved},
		{name: "default rule off", opts: onoconnectsim.Options{NoDefaultDeclines: true}, amount: 1051, wantCode: "00", status: onoconnectsim.StatusApproved},
		{name: "zero amount", amount: 0, wantKind: provider.KindFailed},
		{name: "bad currency", amount: 1000, mutate: func(r *ChargeRequest) { r.Currency = "rands" }, wantKind: provider.KindFailed},
		{name: "missing payment method", amount: 1000, mutate: func(r *ChargeRequest) { r.PaymentMethodInfo = nil }, wantKind: provider.KindFailed},
		{name: "merchant mismatch", amount: 1000, mutate: func(r *ChargeRequest) { r.MerchantID = "other" }, wantKind: provider.KindFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, tt.opts)
			req := chargeReq("ref-1", tt.amount)
			if tt.mutate != nil {
				tt.mutate(&req)
			}
			resp, err := b.client.Charge(t.Context(), b.cred, req)
			wantKind(t, err, tt.wantKind, tt.wantCode)
			if b.sim.ChargeCount("ref-1") != 1 {
				t.Fatalf("ChargeCount = %d, want 1", b.sim.ChargeCount("ref-1"))
			}
			if got := b.sim.Status("ref-1"); got != tt.status {
				t.Fatalf("Status = %q, want %q", got, tt.status)
			}
			if tt.wantKind == provider.KindFailed {
				return
			}
			if resp == nil || resp.TransactionID == "" || resp.IsoResponseCode != tt.wantCode {
				t.Fatalf("resp = %+v", resp)
			}
			if tt.wantMsg != "" && resp.ChargeResultMessage != tt.wantMsg {
				t.Fatalf("message = %q, want %q", resp.ChargeResultMessage, tt.wantMsg)
			}
		})
	}
}

func TestChargeDuplicateReference(t *testing.T) {
	t.Parallel()
	b := setup(t, onoconnectsim.Options{})
	b.mustCharge(t, "dup")
	_, err := b.client.Charge(t.Context(), b.cred, chargeReq("dup", 1000))
	wantKind(t, err, provider.KindFailed, "duplicate_reference")
	if b.sim.ChargeCount("dup") != 2 || b.sim.Status("dup") != onoconnectsim.StatusApproved {
		t.Fatalf("count %d status %q", b.sim.ChargeCount("dup"), b.sim.Status("dup"))
	}
	// Another merchant may use the same reference.
	other := b.cred
	other.MerchantID = "7d0f3b57-0000-4000-8000-000000000001"
	req := chargeReq("dup", 1000)
	req.MerchantID = other.MerchantID
	if _, err := b.client.Charge(t.Context(), other, req); err != nil {
		t.Fatalf("other merchant: %v", err)
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts onoconnectsim.Options
		cred Credentials
		want provider.Kind
	}{
		{name: "missing token", cred: Credentials{MerchantID: testMerchant}, want: provider.KindFailed},
		{name: "missing merchant", cred: Credentials{TransactionToken: "t"}, want: provider.KindFailed},
		{name: "any token", cred: Credentials{MerchantID: testMerchant, TransactionToken: "t"}},
		{name: "wrong configured token", opts: onoconnectsim.Options{TransactionToken: "good"}, cred: Credentials{MerchantID: testMerchant, TransactionToken: "bad"}, want: provider.KindFailed},
		{name: "configured token", opts: onoconnectsim.Options{TransactionToken: "good"}, cred: Credentials{MerchantID: testMerchant, TransactionToken: "good"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, tt.opts)
			_, err := b.client.Charge(t.Context(), tt.cred, chargeReq("ref", 1000))
			wantKind(t, err, tt.want, "")
			if tt.want != 0 {
				if pe := err.(*provider.Error); pe.Status != 401 || pe.Code != "unauthorized" {
					t.Fatalf("want 401 unauthorized, got %v", err)
				}
				if b.sim.Status("ref") != "" {
					t.Fatal("an unauthorized charge landed")
				}
			}
			err = b.client.Confirm(t.Context(), tt.cred, "00000000-0000-4000-8000-000000000001", nil)
			if tt.want != 0 {
				wantKind(t, err, provider.KindFailed, "unauthorized")
			}
		})
	}
}
