package intake_test

import (
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
)

// TestIntakeAnswersAnOverlongIDAtOnce: a command whose id is far over the
// limit (10 KB that does not compress) cannot be recorded under that id; it
// must still be answered at once with a bounded command.rejected naming
// "id", not retried as an infrastructure failure for minutes.
func TestIntakeAnswersAnOverlongIDAtOnce(t *testing.T) {
	t.Parallel()
	e := setup(t)
	raw := make([]byte, 5000)
	_, _ = rand.Read(raw)
	id := hex.EncodeToString(raw)
	e.publish(t, events.ChargeCreate, "long-id", envelope(id, events.ChargeCreate, chargeData("ref-long", "1.00")))
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, ev := range e.readEvents(t) {
			if ev.Type == events.CommandRejected && ev.Data.Reason != nil && ev.Data.Reason.Field == "id" {
				if len(ev.CausationID) > events.MaxIDLength+len(events.Truncated) {
					t.Fatalf("causationid of %d bytes echoed", len(ev.CausationID))
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no command.rejected for the overlong id within 5s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
