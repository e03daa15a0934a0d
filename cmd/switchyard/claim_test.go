package main

import (
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
)

// TestSecondClaimOfAChargeIsNeverRepeated: a worker claims a charge and dies
// before any result; when its lease runs out, the next worker must not send
// the charge again but reverse it by reference (reason provider_timeout).
func TestSecondClaimOfAChargeIsNeverRepeated(t *testing.T) {
	e := newEnvRoles(t, []string{"api", "intake", "relay", "timers"}) // no workers yet
	m := e.newMerchant("15m")
	id := httpTransport{}.create(m, "create-claim", chargeData("ref-claim", "10.00"))
	st := e.node.store
	var items []int
	deadline := time.Now().Add(10 * time.Second)
	for len(items) == 0 && time.Now().Before(deadline) {
		claimed, err := st.WorkClaim(t.Context(), 10, time.Hour) // a worker claims it, then dies
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range claimed {
			items = append(items, w.Attempt)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(items) != 1 || items[0] != 1 {
		t.Fatalf("claimed %v, want one first attempt", items)
	}
	if _, err := st.Pool.Exec(t.Context(), `UPDATE work_items SET available_at = now()`); err != nil { // its lease runs out
		t.Fatal(err)
	}
	cfg := e.cfg
	cfg.Roles = []string{"workers"}
	w, err := startNode(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.stop)
	tx := m.waitStatus(id, events.StatusReversed)
	if tx.Reason == nil || tx.Reason.Code != events.ReasonProviderTimeout {
		t.Fatalf("reason %+v", tx.Reason)
	}
	if n := e.sims.OnoConnect.ChargeCount("ref-claim"); n != 0 {
		t.Fatalf("the charge was sent %d times after a claim that may have sent it", n)
	}
	var left int
	_ = st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM work_items`).Scan(&left)
	if left != 0 {
		t.Fatalf("%d work items left", left)
	}
}
