package store

import (
	"context"
	"hash/fnv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// OutboxPartitions is the number of rows in outbox_partitions.
const OutboxPartitions = 16

// OutboxRow is one message to publish.
type OutboxRow struct {
	ID           int64
	MerchantID   uuid.UUID
	PartitionKey string
	Subject      string
	MsgID        string
	Payload      []byte
	// HeldBehind is, for a claimed row, the id of a dead row of the same
	// partition key that holds later rows back (see outbox_dead), or 0.
	HeldBehind int64
	// Age is, for a claimed row, the time since it was written when the
	// claim ran, by the database's clock (see OutboxClaimBatch).
	Age time.Duration
}

// PartitionOf maps a partition key to its partition.
func PartitionOf(key string) int16 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int16(h.Sum32() % OutboxPartitions)
}

// OutboxInsert queues an outbox row.
func (b *Batch) OutboxInsert(r OutboxRow) {
	b.b.Queue(`INSERT INTO outbox (merchant_id, partition, partition_key, subject, msg_id, payload) VALUES ($6, $1, $2, $3, $4, $5)`,
		PartitionOf(r.PartitionKey), r.PartitionKey, r.Subject, r.MsgID, r.Payload, r.MerchantID)
	b.notify = true
}

// OutboxClaimBatch locks the free partitions (SKIP LOCKED: another relay
// holds the rest) and returns up to limit of their rows in id order, each
// with the first dead row of its partition key that holds it back, if any,
// and its age (read from the database's clock, so that a skew between the
// relay's and the database's clocks does not show as outbox lag).
func OutboxClaimBatch(ctx context.Context, tx pgx.Tx, limit int) ([]OutboxRow, error) {
	rows, err := tx.Query(ctx, `WITH p AS (SELECT partition FROM outbox_partitions FOR UPDATE SKIP LOCKED)
		SELECT o.id, o.partition_key, o.subject, o.msg_id, o.payload,
			coalesce((SELECT min(d.id) FROM outbox_dead d WHERE d.partition_key = o.partition_key AND d.holds), 0),
			extract(epoch FROM statement_timestamp() - o.created_at)::float8
		FROM outbox o WHERE o.partition IN (SELECT partition FROM p) ORDER BY o.id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxRow, error) {
		var o OutboxRow
		var age float64
		err := r.Scan(&o.ID, &o.PartitionKey, &o.Subject, &o.MsgID, &o.Payload, &o.HeldBehind, &age)
		o.Age = time.Duration(age * float64(time.Second))
		return o, err
	})
}

// OutboxDelete prunes published rows, given by id and partition (the
// partition of ids[i] is parts[i]): the delete reads the (partition, id)
// index, so the outbox needs no index of its own on id.
func OutboxDelete(ctx context.Context, tx pgx.Tx, ids []int64, parts []int16) error {
	_, err := tx.Exec(ctx, `DELETE FROM outbox o USING unnest($1::bigint[], $2::smallint[]) AS d(id, partition)
		WHERE o.partition = d.partition AND o.id = d.id`, ids, parts)
	return err
}

// OutboxPending counts unpublished rows.
func (s *Store) OutboxPending(ctx context.Context) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox`).Scan(&n)
	return n, err
}
