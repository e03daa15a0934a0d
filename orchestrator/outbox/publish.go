package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/tracing"
)

// ackTimeout bounds the wait for one wave's PubAcks.
const ackTimeout = 10 * time.Second

// publish sends a batch's rows in waves and returns what became of each. A
// wave holds every rejection (no sequence) and, of each transaction, its
// next row: a transaction's later row is sent only once its earlier one is
// acknowledged, so a row that fails for good is never overtaken. Within a
// wave the rows are pipelined (PublishMsgAsync) and every PubAck awaited; a
// batch whose transactions have one row each is one wave. A duplicate
// PubAck (already in the stream) counts as published. A transient error
// returns an error: the caller rolls back and the batch is tried again.
func (r *Relay) publish(ctx context.Context, rows []store.OutboxRow) (result, error) {
	res := result{blocked: map[string]int64{}}
	for queue := rows; len(queue) > 0; {
		var wave []store.OutboxRow
		wave, queue = res.nextWave(queue)
		if err := r.publishWave(ctx, wave, &res); err != nil {
			return result{}, err
		}
	}
	return res, nil
}

// publishWave publishes rows pipelined and waits for every PubAck.
func (r *Relay) publishWave(ctx context.Context, rows []store.OutboxRow, res *result) error {
	futures := make([]jetstream.PubAckFuture, len(rows))
	for i, row := range rows {
		m := &nats.Msg{Subject: row.Subject, Data: row.Payload, Header: nats.Header{}}
		m.Header.Set(jetstream.MsgIDHeader, row.MsgID)
		if tp := tracing.FromEnvelope(row.Payload); tp != "" {
			m.Header.Set(tracing.HeaderTraceParent, tp)
		}
		f, err := r.cfg.JetStream.PublishMsgAsync(m)
		if err != nil {
			if !permanent(err) {
				return fmt.Errorf("publish %s: %w", row.Subject, err)
			}
			res.deadLetter(row, err) // never sent: nothing to wait for
			continue
		}
		futures[i] = f
	}
	timeout := time.NewTimer(ackTimeout)
	defer timeout.Stop()
	for i, f := range futures {
		if f == nil {
			continue
		}
		select {
		case <-f.Ok():
			res.published = append(res.published, rows[i].ID)
			res.parts = append(res.parts, store.PartitionOf(rows[i].PartitionKey))
		case err := <-f.Err():
			if !permanent(err) {
				return fmt.Errorf("publish %s: %w", rows[i].Subject, err)
			}
			res.deadLetter(rows[i], err)
		case <-timeout.C:
			return errors.New("publish: no PubAck within " + ackTimeout.String())
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
