package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/jackc/pgx/v5"
)

// HolderLockClass is the first key of every holder's advisory lock,
// pg_advisory_lock(HolderLockClass, holder): the two-key form, so that a
// holder id never meets a one-key advisory lock (the migration lock).
const HolderLockClass int32 = 0x53594844 // "SYHD"

// ErrHolderLost is returned by Holder.Check when the holder's session no
// longer holds its lock: other instances may now take its claims again.
var ErrHolderLost = errors.New("holder lock lost")

// holderIDTries bounds the random ids tried when each is taken by a live
// session (a collision among 2^31 ids: practically never).
const holderIDTries = 8

// Holder names the claims of one executor instance (WorkClaim's holder): a
// session-level advisory lock on a connection of its own, outside the pool,
// that lives as long as the process. When the process dies, or its host
// does and TCP keepalives end the session, PostgreSQL releases the lock and
// WorkReclaimOrphans makes the holder's claims available at once. The lock
// is a hint on top of leases and fencing, never a replacement.
type Holder struct {
	ID   int32 // 1..MaxInt32
	conn *pgx.Conn
}

// HolderOpen opens a dedicated connection with the pool's settings
// (keepalives included) and takes the advisory lock of a new random holder
// id on it.
func (s *Store) HolderOpen(ctx context.Context) (*Holder, error) {
	conn, err := pgx.ConnectConfig(ctx, s.Pool.Config().ConnConfig)
	if err != nil {
		return nil, fmt.Errorf("holder: connect: %w", err)
	}
	for range holderIDTries {
		id := rand.Int32N(math.MaxInt32) + 1
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, HolderLockClass, id).Scan(&ok); err != nil {
			_ = conn.Close(context.Background())
			return nil, fmt.Errorf("holder: lock: %w", err)
		}
		if ok {
			return &Holder{ID: id, conn: conn}, nil
		}
	}
	_ = conn.Close(context.Background())
	return nil, fmt.Errorf("holder: %d random ids all taken", holderIDTries)
}

// Check asks PostgreSQL, on the holder's own connection, whether its
// session still holds the lock (behind a pooler in transaction mode, a
// session lock would silently not hold: this says so). ErrHolderLost when
// it does not; any other error means the connection is unusable.
func (h *Holder) Check(ctx context.Context) error {
	var held bool
	err := h.conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
		AND pid = pg_backend_pid() AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 2 AND granted)`,
		HolderLockClass, h.ID).Scan(&held)
	if err != nil {
		return fmt.Errorf("holder %d: %w", h.ID, err)
	}
	if !held {
		return fmt.Errorf("holder %d: %w", h.ID, ErrHolderLost)
	}
	return nil
}

// Close ends the holder's session, which releases its lock.
func (h *Holder) Close(ctx context.Context) error { return h.conn.Close(ctx) }

// WorkReclaimOrphans makes available now every leased work item whose
// holder's advisory lock no session of this database holds: the holder is
// gone, so its lease need not run out. It returns how many it released.
// The item keeps its attempt: the next claim bumps it, which fences the
// holder's stale writes, and a call marked sent follows its recovery rule.
// A claim made again while this runs is left alone (its attempt changed).
func (s *Store) WorkReclaimOrphans(ctx context.Context) (int, error) {
	tag, err := s.Pool.Exec(ctx, `WITH live AS (
			SELECT objid::bigint AS holder FROM pg_locks
			WHERE locktype = 'advisory' AND classid::bigint = $1 AND objsubid = 2 AND granted
				AND database = (SELECT oid FROM pg_database WHERE datname = current_database())),
		orphan AS (
			SELECT merchant_id, id, attempt FROM work_items
			WHERE claimed_by IS NOT NULL AND available_at > now() AND claimed_by NOT IN (SELECT holder FROM live))
		UPDATE work_items w SET available_at = now(), claimed_by = NULL
		FROM orphan o WHERE w.merchant_id = o.merchant_id AND w.id = o.id AND w.attempt = o.attempt AND w.available_at > now()`,
		HolderLockClass)
	if err != nil {
		return 0, fmt.Errorf("reclaim orphaned work: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
