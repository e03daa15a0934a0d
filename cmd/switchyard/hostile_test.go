package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
)

// TestHostileCommandAnsweredBounded: a command whose unknown field name is
// 0.9 MB of '<' (JSON-escaped six-fold when echoed) is answered with a
// command.rejected of a few kilobytes that reaches PAY_EVENTS, and another
// merchant's charge keeps flowing.
func TestHostileCommandAnsweredBounded(t *testing.T) {
	e := newEnv(t)
	hostile, other := e.newMerchant("15m"), e.newMerchant("15m")
	body := `{"specversion":"1.0","id":"hostile-1","source":"t","type":"charge.create","data":{"` +
		strings.Repeat("<", 900<<10) + `":1}}`
	hostile.publishRaw(events.ChargeCreate, "hostile-1", []byte(body))
	txnID := natsTransport{}.create(other, "after-hostile", chargeData("after-hostile", "10.00"))

	other.waitStatus(txnID, events.StatusAuthorized)
	other.waitEvent("charge.authorized published", func(ev events.Event) bool {
		return ev.Type == "charge.authorized" && ev.Subject == txnID
	})
	ev := hostile.waitEvent("command.rejected of the hostile command", func(ev events.Event) bool {
		return ev.Type == events.CommandRejected && ev.CausationID == "hostile-1"
	})
	if f := ev.Data.Reason.Field; !strings.HasPrefix(f, "data.<<<") || len(f) > events.MaxFieldLength {
		t.Errorf("rejection names field %.40q… (%d bytes), want data.<<<… of at most %d bytes", f, len(f), events.MaxFieldLength)
	}
	var found bool
	for _, m := range brokertest.ReadAll(t, e.js, events.StreamEvents, events.MerchantEvents(hostile.id)) {
		var got events.Event
		if json.Unmarshal(m.Data(), &got) != nil || got.CausationID != "hostile-1" {
			continue
		}
		found = true
		if len(m.Data()) > 16<<10 {
			t.Errorf("command.rejected in PAY_EVENTS is %d bytes, want at most 16 KiB", len(m.Data()))
		}
	}
	if !found {
		t.Error("the command.rejected is not in PAY_EVENTS")
	}
	if n, err := e.node.store.OutboxDeadCount(t.Context()); err != nil || n != 0 {
		t.Errorf("outbox_dead holds %d rows (%v), want 0: the answer fits", n, err)
	}
}
