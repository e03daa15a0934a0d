package store

import (
	"context"
	"hash/fnv"

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

// OutboxInsert queues an outbox row.
func (b *Batch) OutboxInsert(r OutboxRow) {
	b.b.Queue(`INSERT INTO outbox (partition, partition_key, subject, msg_id, payload) VALUES ($1, $2, $3, $4, $5)`,
		PartitionOf(r.PartitionKey), r.PartitionKey, r.Subject, r.MsgID, r.Payload)
	b.notify = true
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
