package main

import (
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
)

// TestSecondClaimOfASentChargeIsNeverRepeated: a worker claims a charge,
// records the call as sent, and dies; when its lease runs out the next
// worker must not send the charge again but reverse it by reference
// (reason provider_timeout).
func TestSecondClaimOfASentChargeIsNeverRepeated(t *testing.T) {
	e := newEnvRoles(t, noWorkers)
	m := e.newMerchant("15m")
	id := httpTransport{}.create(m, "create-claim", chargeData("ref-claim", "10.00"))
	st := e.node.store
	w := claimOne(t, st, time.Hour)
	if w.Attempt != 1 || w.SentAttempt != 0 {
		t.Fatalf("claimed %+v, want a first attempt never sent", w)
	}
	if _, err := st.WorkBegin(t.Context(), w); err != nil { // "sent", then the worker dies
		t.Fatal(err)
	}
	if _, err := st.Pool.Exec(t.Context(), `UPDATE work_items SET available_at = now()`); err != nil { // its lease runs out
		t.Fatal(err)
	}
	e.startWorkers(nil)
	tx := m.waitStatus(id, events.StatusReversed)
	if tx.Reason == nil || tx.Reason.Code != events.ReasonProviderTimeout {
		t.Fatalf("reason %+v", tx.Reason)
	}
	if n := e.sims.OnoConnect.ChargeCount("ref-claim"); n != 0 {
		t.Fatalf("the charge was sent %d times after a claim that may have sent it", n)
	}
	if left := e.count(`SELECT count(*) FROM work_items`); left != 0 {
		t.Fatalf("%d work items left", left)
	}
}

// TestSecondClaimOfAnUnsentChargeSendsIt: a worker that claimed a charge and
// died before recording it as sent certainly did not send it, so the next
// claim simply makes the call (it used to be reversed as "unknown").
func TestSecondClaimOfAnUnsentChargeSendsIt(t *testing.T) {
	e := newEnvRoles(t, noWorkers)
	m := e.newMerchant("15m")
	id := httpTransport{}.create(m, "create-unsent", chargeData("ref-unsent", "10.00"))
	claimOne(t, e.node.store, time.Hour) // claimed, then the worker dies before the call
	if _, err := e.node.store.Pool.Exec(t.Context(), `UPDATE work_items SET available_at = now()`); err != nil {
		t.Fatal(err)
	}
	e.startWorkers(nil)
	m.waitStatus(id, events.StatusAuthorized)
	if n := e.sims.OnoConnect.ChargeCount("ref-unsent"); n != 1 {
		t.Fatalf("the charge was sent %d times", n)
	}
}
