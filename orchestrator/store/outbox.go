package store

import (
	"context"
	"encoding/json"
	"hash/fnv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// OutboxPartitions is the number of rows in outbox_partitions.
const OutboxPartitions = 16

// OutboxRow is one message to publish.
type OutboxRow struct {
	ID           int64
	PartitionKey string
	Subject      string
	MsgID        string
	Payload      []byte
}

// PartitionOf maps a partition key to its partition.
func PartitionOf(key string) int16 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int16(h.Sum32() % OutboxPartitions)
}

// Batch queues the writes of one transition: history rows, outbox rows,
// timers and the NOTIFY, sent to PostgreSQL in a single round trip.
type Batch struct {
	b          pgx.Batch
	notify     bool
	notifyWork bool
	expects    map[int]error // statement index → error when it does not touch exactly one row
}

// QueueExpectOne queues a statement that must affect exactly one row;
// otherwise Send returns errNone.
func (b *Batch) QueueExpectOne(errNone error, sql string, args ...any) {
	if b.expects == nil {
		b.expects = map[int]error{}
	}
	b.expects[b.b.Len()] = errNone
	b.b.Queue(sql, args...)
}

// EventInsert queues a history row.
func (b *Batch) EventInsert(txnID uuid.UUID, seq int, eventID uuid.UUID, typ, causation string, envelope []byte) {
	b.b.Queue(`INSERT INTO transaction_events (transaction_id, sequence, event_id, type, causation_id, envelope)
		VALUES ($1, $2, $3, $4, nullif($5, ''), $6)`, txnID, seq, eventID, typ, causation, json.RawMessage(envelope))
}

// OutboxInsert queues an outbox row.
func (b *Batch) OutboxInsert(r OutboxRow) {
	b.b.Queue(`INSERT INTO outbox (partition, partition_key, subject, msg_id, payload) VALUES ($1, $2, $3, $4, $5)`,
		PartitionOf(r.PartitionKey), r.PartitionKey, r.Subject, r.MsgID, r.Payload)
	b.notify = true
}

// TimerSet queues the upsert of a timer.
func (b *Batch) TimerSet(txnID uuid.UUID, kind string, due any, attempt int) {
	b.b.Queue(`INSERT INTO timers (transaction_id, kind, due_at, attempt) VALUES ($1, $2, $3, $4)
		ON CONFLICT (transaction_id, kind) DO UPDATE SET due_at = excluded.due_at, attempt = excluded.attempt`,
		txnID, kind, due, attempt)
}

// TimerCancel queues the removal of a timer.
func (b *Batch) TimerCancel(txnID uuid.UUID, kind string) {
	b.b.Queue(`DELETE FROM timers WHERE transaction_id = $1 AND kind = $2`, txnID, kind)
}

// Queue adds any statement (used for the guarded UPDATE and inserts).
func (b *Batch) Queue(sql string, args ...any) { b.b.Queue(sql, args...) }

// Send runs the batch in tx, in one round trip, and checks every result in
// order: the first failing statement's error, or the error of an expectation
// that did not hold, is returned (and the caller rolls back).
func (b *Batch) Send(ctx context.Context, tx pgx.Tx) error {
	if b.notify {
		b.b.Queue(`SELECT pg_notify($1, '')`, OutboxChannel)
	}
	if b.notifyWork {
		b.b.Queue(`SELECT pg_notify($1, '')`, WorkChannel)
	}
	n := b.b.Len()
	if n == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, &b.b)
	for i := 0; i < n; i++ {
		tag, err := br.Exec()
		if err != nil {
			_ = br.Close()
			return err
		}
		if errNone, ok := b.expects[i]; ok && tag.RowsAffected() != 1 {
			_ = br.Close()
			return errNone
		}
	}
	return br.Close()
}

// OutboxClaimBatch locks the free partitions (SKIP LOCKED: another relay
// holds the rest) and returns up to limit of their rows in id order.
func OutboxClaimBatch(ctx context.Context, tx pgx.Tx, limit int) ([]OutboxRow, error) {
	rows, err := tx.Query(ctx, `WITH p AS (SELECT partition FROM outbox_partitions FOR UPDATE SKIP LOCKED)
		SELECT id, partition_key, subject, msg_id, payload FROM outbox
		WHERE partition IN (SELECT partition FROM p) ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxRow, error) {
		var o OutboxRow
		err := r.Scan(&o.ID, &o.PartitionKey, &o.Subject, &o.MsgID, &o.Payload)
		return o, err
	})
}

// OutboxDelete prunes published rows.
func OutboxDelete(ctx context.Context, tx pgx.Tx, ids []int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM outbox WHERE id = ANY($1)`, ids)
	return err
}

// OutboxPending counts unpublished rows.
func (s *Store) OutboxPending(ctx context.Context) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox`).Scan(&n)
	return n, err
}
