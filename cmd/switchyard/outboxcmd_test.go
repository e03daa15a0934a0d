package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

// TestOutboxCommand: `outbox dead` lists the dead rows; `outbox retry ID`
// moves the row back to the outbox with its id, and takes its flags after
// the ids too.
func TestOutboxCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := schematest.NewDB(t)
	st, err := store.Open(ctx, db, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	merchant, txn := uuid.NewString(), uuid.NewString()
	row := store.OutboxRow{PartitionKey: txn, Subject: events.EventSubject(merchant, "charge.pending"),
		MsgID: uuid.NewString(), Payload: []byte(`{}`)}
	var id int64
	err = st.InTx(ctx, func(tx pgx.Tx) error {
		var b store.Batch
		b.OutboxInsert(row)
		if err := b.Send(ctx, tx); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT id FROM outbox WHERE msg_id = $1`, row.MsgID).Scan(&id); err != nil {
			return err
		}
		row.ID = id
		return store.OutboxMoveToDead(ctx, tx, []store.OutboxDead{{OutboxRow: row, MerchantID: merchant,
			Error: "nats: maximum payload exceeded", Holds: true}})
	})
	if err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if err := outboxDead(ctx, st, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{strconv.FormatInt(id, 10), merchant, row.Subject, row.MsgID, "maximum payload exceeded"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("outbox dead does not show %q:\n%s", want, out.String())
		}
	}
	if err := run(ctx, []string{"outbox", "retry", "--all", "1", "--database-url", db}, &out); err == nil {
		t.Error("retry with both --all and an id: no error")
	}
	if err := run(ctx, []string{"outbox", "retry", strconv.FormatInt(id, 10), "--database-url", db}, &out); err != nil {
		t.Fatal(err)
	}
	var back int64
	if err := st.Pool.QueryRow(ctx, `SELECT id FROM outbox WHERE msg_id = $1`, row.MsgID).Scan(&back); err != nil || back != id {
		t.Fatalf("after retry the outbox holds the row as %d (%v), want %d", back, err, id)
	}
	if n, err := st.OutboxDeadCount(ctx); err != nil || n != 0 {
		t.Fatalf("outbox_dead holds %d rows (%v) after retry, want 0", n, err)
	}
}
