package onoconnect

import (
	"net"
	"testing"

	"github.com/switchyard/switchyard/workers/provider"
)

// TestChargeUnknownOutcome checks every way a charge can end without an
// answer: the client reports KindUnknown, the charge was received once, and
// the orchestrator's recovery (reject by reference) leaves it reversed, or
// finds it never landed.
func TestChargeUnknownOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		fault      string
		landed     bool // the simulator acted before the fault
		wantStatus int  // HTTP status in the error, 0 when none
	}{
		{name: "delay past time-out", fault: `{"path":"/v2/charges","delay_ms":1000}`, landed: true},
		{name: "drop after acting", fault: `{"path":"/v2/charges","drop":true}`, landed: true},
		{name: "lost request", fault: `{"path":"/v2/charges","lose":true}`},
		{name: "504", fault: `{"path":"/v2/charges","status":504}`, wantStatus: 504},
		{name: "502", fault: `{"path":"/v2/charges","status":502}`, wantStatus: 502},
		{name: "503", fault: `{"path":"/v2/charges","status":503}`, wantStatus: 503},
		{name: "500", fault: `{"path":"/v2/charges","status":500}`, wantStatus: 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, SimOptions{})
			b.arm(tt.fault)
			resp, err := b.client.Charge(t.Context(), b.cred, chargeReq("u1", 1000))
			wantKind(t, err, provider.KindUnknown, "")
			if resp != nil {
				t.Fatalf("resp = %+v, want nil", resp)
			}
			if pe := err.(*provider.Error); pe.Status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %v", pe.Status, tt.wantStatus, err)
			}
			if n := b.sim.ChargeCount("u1"); n != 1 {
				t.Fatalf("ChargeCount = %d, want 1", n)
			}
			err = b.client.RejectByReference(t.Context(), b.cred, "u1")
			if !tt.landed {
				wantKind(t, err, provider.KindFailed, "not_found")
				if got := b.sim.Status("u1"); got != "" {
					t.Fatalf("Status = %q, want none", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("reject by reference: %v", err)
			}
			if got := b.sim.Status("u1"); got != StatusRejected {
				t.Fatalf("Status = %q, want rejected", got)
			}
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	c := NewClient("http://"+addr+"/onoconnect", testTimeout)
	cred := Credentials{MerchantID: testMerchant, TransactionToken: "t"}
	_, err = c.Charge(t.Context(), cred, chargeReq("x", 1000))
	wantKind(t, err, provider.KindFailed, "")
	wantKind(t, c.Confirm(t.Context(), cred, "id", nil), provider.KindFailed, "")
	wantKind(t, c.RejectByReference(t.Context(), cred, "x"), provider.KindFailed, "")
}
