package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// OutboxDead is a row of outbox_dead: an outbox row the relay could not
// publish (a permanent error), or a later row of its transaction held
// behind it. Its ID is the row's id in the outbox.
type OutboxDead struct {
	OutboxRow
	MerchantID    string // "" when the subject names none
	Size          int    // bytes of payload (OutboxDeadList leaves Payload nil)
	Error         string
	HeldBehind    int64 // id of the dead row it waits for; 0 when it failed itself
	Holds         bool  // later rows of its partition key wait behind it
	CreatedAt     time.Time
	FirstFailedAt time.Time
	FailedAt      time.Time
}

// OutboxMoveToDead moves outbox rows to outbox_dead in one statement. Each
// entry names its row by ID; the row's subject, payload and times are taken
// from the outbox itself.
func OutboxMoveToDead(ctx context.Context, tx pgx.Tx, dead []OutboxDead) error {
	if len(dead) == 0 {
		return nil
	}
	ids, errs, behind := make([]int64, len(dead)), make([]string, len(dead)), make([]int64, len(dead))
	holds, merchants := make([]bool, len(dead)), make([]string, len(dead))
	for i, d := range dead {
		ids[i], errs[i], behind[i], holds[i], merchants[i] = d.ID, d.Error, d.HeldBehind, d.Holds, d.MerchantID
	}
	tag, err := tx.Exec(ctx, `WITH d AS (
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::boolean[], $5::text[])
				AS d(id, error, held_behind, holds, merchant_id)
		), moved AS (DELETE FROM outbox o USING d WHERE o.id = d.id RETURNING o.*)
		INSERT INTO outbox_dead (id, partition, partition_key, merchant_id, subject, msg_id, payload, error,
			held_behind, holds, created_at, first_failed_at)
		SELECT m.id, m.partition, m.partition_key, m.merchant_id, m.subject, m.msg_id, m.payload,
			d.error, nullif(d.held_behind, 0), d.holds, m.created_at, coalesce(m.first_failed_at, now())
		FROM moved m JOIN d ON d.id = m.id`, ids, errs, behind, holds, merchants)
	if err != nil {
		return fmt.Errorf("move outbox rows to outbox_dead: %w", err)
	}
	if int(tag.RowsAffected()) != len(dead) {
		return fmt.Errorf("move outbox rows to outbox_dead: moved %d of %d", tag.RowsAffected(), len(dead))
	}
	return nil
}

// OutboxDeadList returns every dead row in id order, without payloads.
func (s *Store) OutboxDeadList(ctx context.Context) ([]OutboxDead, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, partition_key, coalesce(merchant_id::text, ''), subject, msg_id,
		octet_length(payload), error, coalesce(held_behind, 0), holds, created_at, first_failed_at, failed_at
		FROM outbox_dead ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list outbox_dead: %w", err)
	}
	dead, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxDead, error) {
		var d OutboxDead
		err := r.Scan(&d.ID, &d.PartitionKey, &d.MerchantID, &d.Subject, &d.MsgID, &d.Size, &d.Error, &d.HeldBehind,
			&d.Holds, &d.CreatedAt, &d.FirstFailedAt, &d.FailedAt)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("list outbox_dead: %w", err)
	}
	return dead, nil
}

// OutboxDeadCount counts dead rows.
func (s *Store) OutboxDeadCount(ctx context.Context) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox_dead`).Scan(&n)
	return n, err
}

// OutboxDeadRetry moves dead rows back to the outbox and returns their ids
// in order: every row when all, else the rows ids name, each with every
// other dead row of its transaction (a row that holds, or is held, never
// goes back alone, so nothing is published out of its transaction's order).
// The rows keep their outbox ids, lower than any later row of the same
// transaction, so the relay publishes them first. It locks every outbox
// partition first, so that no relay pass is holding back a row of the same
// transaction behind a row this moves.
func (s *Store) OutboxDeadRetry(ctx context.Context, ids []int64, all bool) ([]int64, error) {
	var moved []int64
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT partition FROM outbox_partitions ORDER BY partition FOR UPDATE`); err != nil {
			return fmt.Errorf("lock outbox partitions: %w", err)
		}
		rows, err := tx.Query(ctx, `WITH moved AS (
				DELETE FROM outbox_dead WHERE $2 OR id = ANY($1)
					OR (holds AND partition_key IN (SELECT partition_key FROM outbox_dead WHERE id = ANY($1) AND holds))
				RETURNING *)
			INSERT INTO outbox (merchant_id, id, partition, partition_key, subject, msg_id, payload, created_at, first_failed_at)
			SELECT merchant_id, id, partition, partition_key, subject, msg_id, payload, created_at, first_failed_at FROM moved
			RETURNING id`, ids, all)
		if err != nil {
			return fmt.Errorf("move outbox_dead rows back: %w", err)
		}
		moved, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("move outbox_dead rows back: %w", err)
		}
		if len(moved) > 0 {
			_, err = tx.Exec(ctx, `SELECT pg_notify($1, '')`, OutboxChannel)
		}
		return err
	})
	slices.Sort(moved)
	return moved, err
}
