package webhook

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// dispatchItem is an event waiting for its deliveries to be written.
type dispatchItem struct {
	ev      event
	payload []byte
	n       int
	done    chan error
}

var errStopping = errors.New("webhook dispatcher stopping")

// submit hands ev to the batcher and waits for the commit of its
// deliveries; it returns how many endpoints matched.
func (d *Dispatcher) submit(ctx context.Context, ev event, payload []byte) (int, error) {
	it := &dispatchItem{ev: ev, payload: payload, done: make(chan error, 1)}
	select {
	case d.in <- it:
	case <-ctx.Done():
		return 0, errStopping
	}
	select {
	case err := <-it.done:
		return it.n, err
	case <-ctx.Done():
		return 0, errStopping
	}
}

// batch writes the deliveries of the events handed to it, as many as are
// waiting (up to MaxBatch) in one transaction, until ctx ends. An event
// whose merchant's endpoints cannot be read fails alone; a failed commit
// fails the whole batch (each event is then redelivered).
func (d *Dispatcher) batch(ctx context.Context) {
	for {
		var items []*dispatchItem
		select {
		case <-ctx.Done():
			return
		case it := <-d.in:
			items = append(items, it)
		}
	drain:
		for len(items) < MaxBatch {
			select {
			case it := <-d.in:
				items = append(items, it)
			default:
				break drain
			}
		}
		d.write(ctx, items)
	}
}

// write commits the deliveries of items and tells each its result.
func (d *Dispatcher) write(ctx context.Context, items []*dispatchItem) {
	var b store.Batch
	var ok []*dispatchItem
	total := 0
	for _, it := range items {
		n, err := d.queue(ctx, &b, it.ev, it.payload)
		if err != nil {
			it.done <- err
			continue
		}
		it.n, total = n, total+n
		ok = append(ok, it)
	}
	var err error
	if total > 0 {
		err = d.cfg.Store.InTx(ctx, func(tx pgx.Tx) error { return b.Send(ctx, tx) })
	}
	for _, it := range ok {
		it.done <- err
	}
}
