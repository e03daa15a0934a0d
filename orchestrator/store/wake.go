package store

import (
	"github.com/jackc/pgx/v5"
)

// Waker carries the wake-ups that follow a commit (new outbox rows, new work
// items) to the loops that poll for them, in this instance and in others.
// Wake-ups are hints: every loop keeps polling, so one that is lost (a
// process dying between COMMIT and Wake, a NATS reconnect) only delays the
// work until the next poll.
//
// Without a Waker, a transition's batch queues pg_notify, as before. With
// one, the wake-ups are sent after COMMIT instead. pg_notify makes every
// notifying transaction take one database-wide lock from its pre-commit
// until the end of its commit, WAL flush included: notifying commits then
// flush one at a time instead of in groups. Measured on the dev bench
// (switchyard bench -c 64) this cost PostgreSQL about 2 ms of CPU a
// lifecycle and 10–20 % of the throughput.
type Waker interface {
	// Wake tells every subscriber of channel, here and elsewhere. It must
	// not block.
	Wake(channel string)
	// Subscribe makes a non-blocking send on wake for every Wake of
	// channel, until stop is called.
	Subscribe(channel string, wake chan<- struct{}) (stop func(), err error)
}

// SetWaker makes the store send its wake-ups through w after COMMIT instead
// of with pg_notify, and makes Listen subscribe to w as well. Call it
// before the store is shared.
func (s *Store) SetWaker(w Waker) { s.waker = w }

// wakeTx is the transaction InTx hands to its function when the store has a
// Waker: Batch.Send records the channels to wake on it, and InTx wakes them
// once COMMIT has succeeded (never on a rollback).
type wakeTx struct {
	pgx.Tx
	channels []string
}

func (t *wakeTx) add(channel string) {
	for _, c := range t.channels {
		if c == channel {
			return
		}
	}
	t.channels = append(t.channels, channel)
}

// wakeOnCommit records channel on tx when tx wakes after commit, and
// otherwise queues pg_notify in b.
func wakeOnCommit(tx pgx.Tx, b *pgx.Batch, channel string) {
	if w, ok := tx.(*wakeTx); ok {
		w.add(channel)
		return
	}
	b.Queue(`SELECT pg_notify($1, '')`, channel)
}
