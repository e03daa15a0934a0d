package outbox

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// maxErrorLength bounds the error kept with a dead row.
const maxErrorLength = 1024

// result is what one pass did with its rows.
type result struct {
	published []int64
	// parts holds the partition of each published row (same order), so
	// that their delete reads the (partition, id) index.
	parts []int16
	dead  []store.OutboxDead
	// blocked maps the partition key of a transaction to the id of its
	// dead row that holds its later rows back.
	blocked map[string]int64
}

// nextWave splits queue (in id order) into the rows to send now, every
// rejection and the first row of each transaction, and the rest. A row of
// a transaction that is held back, by a dead row of this pass or of an
// earlier one, moves to res.dead instead.
func (res *result) nextWave(queue []store.OutboxRow) (wave, rest []store.OutboxRow) {
	next := map[string]bool{} // transactions that already have a row in this wave
	for _, row := range queue {
		if !sequenced(row) {
			wave = append(wave, row)
			continue
		}
		key := row.PartitionKey
		if res.blocked[key] == 0 && row.HeldBehind != 0 {
			res.blocked[key] = row.HeldBehind
		}
		switch {
		case res.blocked[key] != 0:
			res.held(row, res.blocked[key])
		case next[key]:
			rest = append(rest, row)
		default:
			next[key] = true
			wave = append(wave, row)
		}
	}
	return wave, rest
}

// deadLetter records a row that failed for good; a transaction's row holds
// back the transaction's later rows.
func (res *result) deadLetter(row store.OutboxRow, err error) {
	holds := sequenced(row)
	if holds {
		res.blocked[row.PartitionKey] = row.ID
	}
	res.dead = append(res.dead, store.OutboxDead{OutboxRow: row, MerchantID: merchantOf(row.Subject),
		Error: events.Truncate(err.Error(), maxErrorLength), Holds: holds})
}

// held records a transaction's row held behind its dead row behind.
func (res *result) held(row store.OutboxRow, behind int64) {
	res.dead = append(res.dead, store.OutboxDead{OutboxRow: row, MerchantID: merchantOf(row.Subject),
		Error: fmt.Sprintf("held behind dead row %d of the same transaction", behind), HeldBehind: behind, Holds: true})
}

// commit deletes the published rows and moves the dead ones, in the pass's
// transaction: one statement when nothing died.
func (res *result) commit(ctx context.Context, tx pgx.Tx) error {
	if err := store.OutboxDelete(ctx, tx, res.published, res.parts); err != nil {
		return fmt.Errorf("delete published outbox rows: %w", err)
	}
	return store.OutboxMoveToDead(ctx, tx, res.dead)
}

// alert logs and counts the rows a committed pass moved to outbox_dead: an
// error for each row that failed, a warning for each row held behind one.
func (r *Relay) alert(dead []store.OutboxDead) {
	var failed, held int64
	for _, d := range dead {
		attrs := []any{"id", d.ID, "subject", d.Subject, "msg_id", d.MsgID, "merchant", d.MerchantID,
			"partition_key", d.PartitionKey, "bytes", len(d.Payload)}
		if d.HeldBehind != 0 {
			held++
			r.cfg.Log.Warn("outbox row held behind a dead row of its transaction", append(attrs, "held_behind", d.HeldBehind)...)
			continue
		}
		failed++
		r.cfg.Log.Error("outbox row cannot be published; moved to outbox_dead (switchyard outbox dead / retry)",
			append(attrs, "err", d.Error)...)
	}
	if failed > 0 {
		metrics.Default.Add(metrics.OutboxDeadTotal, failed, "cause", "failed")
	}
	if held > 0 {
		metrics.Default.Add(metrics.OutboxDeadTotal, held, "cause", "held")
	}
}
