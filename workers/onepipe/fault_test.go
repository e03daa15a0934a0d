package onepipe

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/simulator"
)

// TestUnknownOutcome arms each fault on the hold call and checks the
// classification, then that query tells what really happened.
func TestUnknownOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fault    simulator.Fault
		kind     provider.Kind
		happened bool // the hold was placed despite the error
	}{
		{"delay past time-out", simulator.Fault{DelayMS: 600}, provider.KindUnknown, true},
		{"drop after acting", simulator.Fault{Drop: true}, provider.KindUnknown, true},
		{"lost request", simulator.Fault{Lose: true}, provider.KindUnknown, false},
		{"504", simulator.Fault{Status: 504}, provider.KindUnknown, false},
		{"503", simulator.Fault{Status: 503}, provider.KindUnknown, false},
		{"502", simulator.Fault{Status: 502}, provider.KindUnknown, false},
		{"500", simulator.Fault{Status: 500}, provider.KindFailed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, SimOptions{})
			_, v := b.consent(t, RequestHoldFunds)
			tt.fault.Path = PathTransact
			b.sim.Harness().Arm(tt.fault)
			holdRef := ref("hold")
			_, err := b.client.Hold(ctx, Hold{RequestRef: ref("req"), TransactionRef: holdRef,
				Token: v.ProviderToken, Amount: dec("10.00")})
			wantErr(t, err, tt.kind, "")
			q, err := b.client.Query(ctx, ref("req"), holdRef)
			if tt.happened && (err != nil || q.TransactionStatus != StateHeld) {
				t.Fatalf("query after %s = %+v, %v; want Held", tt.name, q, err)
			}
			if !tt.happened && !errors.Is(err, ErrNotFound) {
				t.Fatalf("query after %s = %+v, %v; want not found", tt.name, q, err)
			}
		})
	}
}

func TestConnectionRefusedIsFailed(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := NewClient(Config{BaseURL: "http://" + addr, APIKey: "k", Secret: "s", Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Hold(ctx, Hold{RequestRef: ref("req"), TransactionRef: ref("hold"), Token: "t", Amount: dec("1")})
	wantErr(t, err, provider.KindFailed, "")
}
