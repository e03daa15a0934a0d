package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound is returned when a row does not exist (or belongs to another merchant).
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a guarded write found another version.
var ErrConflict = errors.New("concurrent update")

// OutboxChannel is the LISTEN/NOTIFY channel woken by every outbox insert.
const OutboxChannel = "switchyard_outbox"

// Options bound what one instance asks of PostgreSQL, so that a stuck
// statement, a held lock or an exhausted pool turns into an error that is
// retried instead of a wait without end.
type Options struct {
	MaxConns int32 // pool size (default pgx's: max(4, CPUs))
	// AcquireTimeout bounds the wait for a pooled connection at the start of
	// a transaction (default 10s).
	AcquireTimeout time.Duration
	// StatementTimeout is PostgreSQL's statement_timeout (default 30s).
	StatementTimeout time.Duration
	// LockTimeout is PostgreSQL's lock_timeout (default 10s): a transition
	// waiting longer for a row lock gives up and is retried.
	LockTimeout time.Duration
	// IdleInTxTimeout ends sessions left idle inside a transaction (default 60s).
	IdleInTxTimeout time.Duration
}

// WithDefaults fills the zero fields.
func (o Options) WithDefaults() Options {
	if o.AcquireTimeout <= 0 {
		o.AcquireTimeout = 10 * time.Second
	}
	if o.StatementTimeout <= 0 {
		o.StatementTimeout = 30 * time.Second
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = 10 * time.Second
	}
	if o.IdleInTxTimeout <= 0 {
		o.IdleInTxTimeout = time.Minute
	}
	return o
}

// Store wraps a pgx pool.
type Store struct {
	Pool           *pgxpool.Pool
	acquireTimeout time.Duration
	waker          Waker // nil: wake-ups are pg_notify in the transaction
}

// Open connects to databaseURL with a pool of maxConns (0: pgx's default)
// and the default Options.
func Open(ctx context.Context, databaseURL string, maxConns int32) (*Store, error) {
	return OpenWith(ctx, databaseURL, Options{MaxConns: maxConns})
}

// OpenWith connects to databaseURL with o.
func OpenWith(ctx context.Context, databaseURL string, o Options) (*Store, error) {
	o = o.WithDefaults()
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	}
	params := cfg.ConnConfig.RuntimeParams
	params["statement_timeout"] = millis(o.StatementTimeout)
	params["lock_timeout"] = millis(o.LockTimeout)
	params["idle_in_transaction_session_timeout"] = millis(o.IdleInTxTimeout)
	if err := setKeepAlive(&cfg.ConnConfig.Config); err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	return &Store{Pool: pool, acquireTimeout: o.AcquireTimeout}, nil
}

func millis(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

// Close closes the pool.
func (s *Store) Close() { s.Pool.Close() }

// InTx runs fn in a transaction on one pooled connection, committing when it
// returns nil. fn must do all its database work through tx: taking a second
// pooled connection inside a transaction can wedge a small pool. Waiting for
// the connection is bounded by Options.AcquireTimeout. With a Waker, the
// wake-ups fn's batches asked for are sent once COMMIT has succeeded.
func (s *Store) InTx(ctx context.Context, fn func(pgx.Tx) error) error {
	actx, cancel := context.WithTimeout(ctx, s.acquire())
	conn, err := s.Pool.Acquire(actx)
	cancel()
	if err != nil {
		return fmt.Errorf("acquire a database connection: %w", err)
	}
	defer conn.Release()
	if s.waker == nil {
		return pgx.BeginFunc(ctx, conn, fn)
	}
	var wt *wakeTx
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		wt = &wakeTx{Tx: tx}
		return fn(wt)
	})
	if err == nil {
		for _, c := range wt.channels {
			s.waker.Wake(c)
		}
	}
	return err
}

func (s *Store) acquire() time.Duration {
	if s.acquireTimeout <= 0 {
		return Options{}.WithDefaults().AcquireTimeout
	}
	return s.acquireTimeout
}

// IsUniqueViolation reports whether err is a unique_violation on constraint
// (any constraint when empty).
// IsCheckViolation reports whether err is a check constraint violation of
// constraint (any check constraint when it is empty).
func IsCheckViolation(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23514" && (constraint == "" || pe.ConstraintName == constraint)
}

// RefundedWithinAmount is the check constraint that keeps what was refunded
// of a transaction within its amount.
const RefundedWithinAmount = "transactions_refunded_within_amount"

func IsUniqueViolation(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && (constraint == "" || pe.ConstraintName == constraint)
}
