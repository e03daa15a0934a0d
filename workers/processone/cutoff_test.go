package processone

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/processone/processonesim"
)

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// nextClose is the simulator's next scheduled batch close.
func (b *bundle) nextClose(t *testing.T) time.Time {
	t.Helper()
	resp, err := http.Get(b.srv.URL + "/_sim/batch")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		NextClose time.Time `json:"next_close"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st.NextClose
}

// TestBatchClosesAtZonedCutoff: the simulator's batch closes at the
// merchant's cut-off in its time zone: a sale before it answers
// BatchHasBeenClosed to a void after it, a sale after it
// BatchHasNotBeenClosed to a refund.
func TestBatchClosesAtZonedCutoff(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Date(2026, 6, 1, 15, 59, 0, 0, time.UTC)} // 17:59 in Johannesburg
	b := setup(t, processonesim.Options{BatchCutoff: "18:00", BatchTimeZone: "Africa/Johannesburg", Now: clk.Now})
	before, err := b.charge(t, "4111111111111111", "10.00", "")
	mustOK(t, err)
	_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *before.TransactionID})
	wantCode(t, err, CodeBatchHasNotBeenClosed)

	clk.Set(time.Date(2026, 6, 1, 16, 0, 0, 0, time.UTC)) // 18:00 there
	_, err = b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: *before.TransactionID})
	wantCode(t, err, CodeBatchHasBeenClosed)
	after, err := b.charge(t, "4111111111111111", "11.00", "")
	mustOK(t, err)
	if after.BatchNumber != before.BatchNumber+1 {
		t.Fatalf("sale after the cut-off in batch %d, the one before in %d", after.BatchNumber, before.BatchNumber)
	}
	_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *after.TransactionID})
	wantCode(t, err, CodeBatchHasNotBeenClosed)
	if got, want := b.nextClose(t), time.Date(2026, 6, 2, 16, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("next close %s, want %s", got, want)
	}
}

// TestBatchCutoffAcrossDST: in New York a 02:30 cut-off closes when the
// clocks jump past it on the day they skip it, and at 02:30 EDT the day
// after; changing the zone at run time moves the next close.
func TestBatchCutoffAcrossDST(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Date(2026, 3, 8, 6, 59, 0, 0, time.UTC)} // 01:59 EST
	b := setup(t, processonesim.Options{BatchCutoff: "02:30", BatchTimeZone: "America/New_York", Now: clk.Now})
	sale, err := b.charge(t, "4111111111111111", "12.00", "")
	mustOK(t, err)
	if got, want := b.nextClose(t), time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("next close %s, want the jump to 03:00 EDT %s", got, want)
	}
	clk.Set(time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC))
	_, err = b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: *sale.TransactionID})
	wantCode(t, err, CodeBatchHasBeenClosed)
	if got, want := b.nextClose(t), time.Date(2026, 3, 9, 6, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("next close %s, want 02:30 EDT %s", got, want)
	}

	resp, err := http.Post(b.srv.URL+"/_sim/config", "application/json", strings.NewReader(`{"batch_time_zone":"Africa/Johannesburg"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := b.nextClose(t), time.Date(2026, 3, 9, 0, 30, 0, 0, time.UTC); resp.StatusCode != http.StatusOK || !got.Equal(want) {
		t.Fatalf("after a zone change: %d, next close %s, want %s", resp.StatusCode, got, want)
	}
	resp, err = http.Post(b.srv.URL+"/_sim/config", "application/json", strings.NewReader(`{"batch_time_zone":"Nowhere/Town"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad zone: %d", resp.StatusCode)
	}
}
