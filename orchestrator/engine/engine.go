package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Config configures an Engine.
type Config struct {
	Store  *store.Store
	Sealer *secret.Sealer
	Log    *slog.Logger
	Now    func() time.Time
	// Lifecycles are the transaction types the engine runs; it looks each
	// command and transaction up here and names none of them.
	Lifecycles *lifecycle.Registry
}

// Engine applies inputs to transactions.
type Engine struct {
	cfg       Config
	merchants sync.Map // uuid.UUID → *store.Merchant
}

// New returns an Engine.
func New(cfg Config) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Lifecycles == nil {
		cfg.Lifecycles = lifecycle.NewRegistry()
	}
	return &Engine{cfg: cfg}
}

// Store returns the engine's store.
func (e *Engine) Store() *store.Store { return e.cfg.Store }

// Sealer returns the engine's sealer.
func (e *Engine) Sealer() *secret.Sealer { return e.cfg.Sealer }

func (e *Engine) now() time.Time { return e.cfg.Now().UTC().Truncate(time.Microsecond) }

// Merchant returns a merchant, cached: merchants' rows do not change.
func (e *Engine) Merchant(ctx context.Context, id uuid.UUID) (*store.Merchant, error) {
	return e.cachedMerchant(id, func() (*store.Merchant, error) { return e.cfg.Store.MerchantGet(ctx, id) })
}

// merchantTx is Merchant for code inside a transaction: a merchant not yet
// cached is read through tx, never through a second pooled connection.
func (e *Engine) merchantTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) (*store.Merchant, error) {
	return e.cachedMerchant(id, func() (*store.Merchant, error) { return store.MerchantGetTx(ctx, tx, id) })
}

func (e *Engine) cachedMerchant(id uuid.UUID, load func() (*store.Merchant, error)) (*store.Merchant, error) {
	if m, ok := e.merchants.Load(id); ok {
		return m.(*store.Merchant), nil
	}
	m, err := load()
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownMerchant
	}
	if err != nil {
		return nil, err
	}
	e.merchants.Store(id, m)
	return m, nil
}

// Lifecycles returns the engine's lifecycle registry.
func (e *Engine) Lifecycles() *lifecycle.Registry { return e.cfg.Lifecycles }

// seal seals a value into a transaction's details (lifecycle.Sealer).
func (e *Engine) seal(t *store.Txn, key, purpose string, plain []byte) {
	lifecycle.SealDetail(e.cfg.Sealer, t, key, purpose, plain)
}

// TransactionID is the id of the transaction a creating command makes: a
// name-based UUID of (merchant, command id), so that the HTTP API can answer
// with it before intake has run, and a repeat maps to the same transaction.
func TransactionID(merchantID uuid.UUID, commandID string) uuid.UUID {
	return uuid.NewSHA1(txnNamespace, []byte(merchantID.String()+"\x00"+commandID))
}

var txnNamespace = uuid.MustParse("6f1c3a52-8d0e-4c1b-9a57-3e2f7b9d4c10")

// Outcome is what handling a command came to.
type Outcome struct {
	TransactionID uuid.UUID
	Duplicate     bool           // a repeat of a command already handled
	Rejected      *events.Reason // nil when accepted
}

// rejection is returned inside a transaction to roll it back and record a
// command.rejected instead.
type rejection struct{ reason events.Reason }

func (r *rejection) Error() string { return "rejected: " + r.reason.Code + ": " + r.reason.Message }

func reject(code, field, format string, args ...any) error {
	return &rejection{reason: events.Reason{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}}
}

// asRejection finds the refusal in err: the engine's own, a lifecycle's
// (*lifecycle.Rejection) or a validation error naming a field.
func asRejection(err error) (*rejection, bool) {
	var r *rejection
	if errors.As(err, &r) {
		return r, true
	}
	var lr *lifecycle.Rejection
	if errors.As(err, &lr) {
		return &rejection{reason: lr.Reason}, true
	}
	var fe *events.FieldError
	if errors.As(err, &fe) {
		return &rejection{reason: events.Reason{Code: events.ReasonInvalidRequest, Field: fe.Field, Message: fe.Message}}, true
	}
	return nil, false
}
