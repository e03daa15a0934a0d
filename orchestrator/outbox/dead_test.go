package outbox_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/outbox"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// overMaxPayload is more than the embedded server's 4 MiB max payload.
const overMaxPayload = 5 << 20

// txnEvent is an outbox row of a transaction event (it has a sequence) of
// merchant, padded to at least size bytes.
func txnEvent(merchant, txn string, seq, size int) store.OutboxRow {
	return padded(store.OutboxRow{MerchantID: merchantUUID(merchant), PartitionKey: txn, Subject: events.EventSubject(merchant, "charge.test"),
		MsgID: uuid.NewString()}, payload{Key: txn, Seq: seq}, size)
}

// rejection is a command.rejected of merchant about no transaction: its
// partition key is the merchant, and it has no sequence.
func rejection(merchant string, size int) store.OutboxRow {
	return padded(store.OutboxRow{MerchantID: merchantUUID(merchant), PartitionKey: merchant, Subject: events.EventSubject(merchant, events.CommandRejected),
		MsgID: uuid.NewString()}, payload{Key: merchant}, size)
}

func padded(r store.OutboxRow, p payload, size int) store.OutboxRow {
	b, _ := json.Marshal(struct {
		payload
		Pad string `json:"pad,omitempty"`
	}{p, strings.Repeat("x", max(0, size-40))})
	r.Payload = b
	return r
}

// deadRow is a row of outbox_dead as the tests see it.
type deadRow struct {
	ID         int64
	MsgID      string
	Merchant   string
	HeldBehind int64
	Err        string
}

func (e *env) dead(t *testing.T) []deadRow {
	t.Helper()
	rows, err := e.st.Pool.Query(context.Background(), `SELECT id, msg_id, coalesce(merchant_id::text, ''),
		coalesce(held_behind, 0), error FROM outbox_dead ORDER BY id`)
	if err != nil {
		t.Fatalf("read outbox_dead: %v", err)
	}
	defer rows.Close()
	var out []deadRow
	for rows.Next() {
		var d deadRow
		if err := rows.Scan(&d.ID, &d.MsgID, &d.Merchant, &d.HeldBehind, &d.Err); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// outboxID is the id the outbox gave the row with msgID.
func (e *env) outboxID(t *testing.T, msgID string) int64 {
	t.Helper()
	var id int64
	if err := e.st.Pool.QueryRow(context.Background(), `SELECT id FROM outbox WHERE msg_id = $1`, msgID).Scan(&id); err != nil {
		t.Fatalf("outbox row %s: %v", msgID, err)
	}
	return id
}

// streamIDs is the msg ids in PAY_EVENTS, in stream order.
func (e *env) streamIDs(t *testing.T) []string {
	t.Helper()
	var ids []string
	for _, m := range e.readEvents(t) {
		ids = append(ids, m.MsgID)
	}
	return ids
}

// checkStream checks that PAY_EVENTS holds exactly the rows of want, each
// once, and the rows of each partition key in their order in want (rows of
// different keys may interleave in any order).
func (e *env) checkStream(t *testing.T, want ...store.OutboxRow) {
	t.Helper()
	got := e.streamIDs(t)
	pos := map[string]int{}
	for i, id := range got {
		if _, dup := pos[id]; dup {
			t.Errorf("msg id %s in PAY_EVENTS twice", id)
		}
		pos[id] = i
	}
	last := map[string]int{}
	for _, r := range want {
		p, ok := pos[r.MsgID]
		if !ok {
			t.Errorf("row %s (key %s) not in PAY_EVENTS", r.MsgID, r.PartitionKey)
			continue
		}
		if prev, seen := last[r.PartitionKey]; seen && p < prev {
			t.Errorf("row %s of key %s published before an earlier row of its key", r.MsgID, r.PartitionKey)
		}
		last[r.PartitionKey] = p
	}
	if len(got) != len(want) {
		t.Errorf("PAY_EVENTS holds %d messages, want %d", len(got), len(want))
	}
	if t.Failed() {
		t.FailNow()
	}
}

// TestRelayDeadLetter: a row over the server's max payload (a permanent
// error) does not fail its batch: it moves to outbox_dead, and so do the
// later rows of its transaction (held behind it, so that the transaction's
// sequence shows no gap), while every other transaction's rows, and the
// merchant's later rejections, are published.
func TestRelayDeadLetter(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	merchant, txA, txB := uuid.NewString(), uuid.NewString(), uuid.NewString()
	a1, b1 := txnEvent(merchant, txA, 1, 0), txnEvent(merchant, txB, 1, 0)
	a2, b2 := txnEvent(merchant, txA, 2, overMaxPayload), txnEvent(merchant, txB, 2, 0)
	r1, a3 := rejection(merchant, overMaxPayload), txnEvent(merchant, txA, 3, 0)
	r2, b3 := rejection(merchant, 0), txnEvent(merchant, txB, 3, 0)
	e.insert(t, a1, b1, a2, b2, r1, a3, r2, b3)
	idA2, idR1, idA3 := e.outboxID(t, a2.MsgID), e.outboxID(t, r1.MsgID), e.outboxID(t, a3.MsgID)

	r := e.newRelay(t, "relay", outbox.Config{})
	if _, err := r.Pass(ctx); err != nil {
		t.Fatalf("pass: %v (one row that cannot be published must not fail the batch)", err)
	}
	e.checkStream(t, a1, b1, b2, r2, b3)
	if n := e.pending(t); n != 0 {
		t.Errorf("outbox holds %d rows, want 0", n)
	}
	dead := e.dead(t)
	if len(dead) != 3 || dead[0].ID != idA2 || dead[1].ID != idR1 || dead[2].ID != idA3 {
		t.Fatalf("outbox_dead holds %+v, want A2 (%d), R1 (%d), A3 (%d)", dead, idA2, idR1, idA3)
	}
	for _, d := range dead[:2] {
		if !strings.Contains(d.Err, "maximum payload") || d.HeldBehind != 0 || d.Merchant != merchant {
			t.Errorf("dead row %d: %+v, want the max payload error, merchant %s, not held", d.ID, d, merchant)
		}
	}
	if dead[2].HeldBehind != idA2 {
		t.Errorf("A3 held behind %d, want A2 (%d)", dead[2].HeldBehind, idA2)
	}

	// Later rows of A are held too; B and the merchant's rejections flow.
	a4, b4, r3 := txnEvent(merchant, txA, 4, 0), txnEvent(merchant, txB, 4, 0), rejection(merchant, 0)
	e.insert(t, a4, b4, r3)
	idA4 := e.outboxID(t, a4.MsgID)
	if _, err := r.Pass(ctx); err != nil {
		t.Fatalf("second pass: %v", err)
	}
	e.checkStream(t, a1, b1, b2, r2, b3, b4, r3)
	if dead := e.dead(t); len(dead) != 4 || dead[3].ID != idA4 || dead[3].HeldBehind != idA2 {
		t.Fatalf("outbox_dead holds %+v, want A4 (%d) held behind A2 (%d) last", dead, idA4, idA2)
	}
}

// setMaxMsgSize sets PAY_EVENTS' max message size (-1: none).
func (e *env) setMaxMsgSize(t *testing.T, n int32) {
	t.Helper()
	info, err := e.streamInfo(t)
	if err != nil {
		t.Fatal(err)
	}
	cfg := info.Config
	cfg.MaxMsgSize = n
	if _, err := e.js.UpdateStream(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
}

// TestRelayDeadRetry: a row the stream refuses (over its max message size,
// an error the server answers in the PubAck) is dead-lettered with the
// later rows of its transaction; once the stream is fixed, retrying any of
// them moves the transaction's dead rows back and they are published in
// their original order, before the transaction's later rows.
func TestRelayDeadRetry(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	e.setMaxMsgSize(t, 4096)
	merchant, txA, txB := uuid.NewString(), uuid.NewString(), uuid.NewString()
	a1, a2, a3 := txnEvent(merchant, txA, 1, 0), txnEvent(merchant, txA, 2, 8192), txnEvent(merchant, txA, 3, 0)
	b1, r1 := txnEvent(merchant, txB, 1, 0), rejection(merchant, 8192)
	e.insert(t, a1, a2, a3, b1, r1)
	idA2, idA3, idR1 := e.outboxID(t, a2.MsgID), e.outboxID(t, a3.MsgID), e.outboxID(t, r1.MsgID)
	r := e.newRelay(t, "relay", outbox.Config{})
	if n, err := r.Pass(ctx); err != nil || n != 5 {
		t.Fatalf("pass: handled %d rows, err %v; want 5, nil", n, err)
	}
	e.checkStream(t, a1, b1)
	dead := e.dead(t)
	if len(dead) != 3 || dead[0].ID != idA2 || dead[1].ID != idA3 || dead[2].ID != idR1 {
		t.Fatalf("outbox_dead holds %+v, want A2 %d, A3 %d, R1 %d", dead, idA2, idA3, idR1)
	}
	if !strings.Contains(dead[0].Err, "message size exceeds maximum") {
		t.Errorf("A2's error %q, want the stream's refusal", dead[0].Err)
	}
	a4 := txnEvent(merchant, txA, 4, 0)
	e.insert(t, a4)
	if _, err := r.Pass(ctx); err != nil {
		t.Fatal(err)
	}
	e.checkStream(t, a1, b1)

	e.setMaxMsgSize(t, -1)
	moved, err := e.st.OutboxDeadRetry(ctx, []int64{idA3}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(moved) != 3 || moved[0] != idA2 || moved[1] != idA3 {
		t.Fatalf("retry of A3 moved %v, want A2, A3 and A4 (the transaction's dead rows)", moved)
	}
	a5 := txnEvent(merchant, txA, 5, 0)
	e.insert(t, a5)
	if _, err := r.Pass(ctx); err != nil {
		t.Fatal(err)
	}
	e.checkStream(t, a1, b1, a2, a3, a4, a5)
	if dead := e.dead(t); len(dead) != 1 || dead[0].ID != idR1 {
		t.Fatalf("outbox_dead holds %+v, want only R1 (not retried)", dead)
	}
	if moved, err := e.st.OutboxDeadRetry(ctx, nil, true); err != nil || len(moved) != 1 {
		t.Fatalf("retry --all moved %v, err %v; want R1", moved, err)
	}
	if _, err := r.Pass(ctx); err != nil {
		t.Fatal(err)
	}
	e.checkStream(t, a1, b1, a2, a3, a4, a5, r1)
	if n := e.pending(t); n != 0 {
		t.Errorf("outbox holds %d rows, want 0", n)
	}
}
