package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ProviderCall is a provider_calls row: one attempt of one operation, with
// its HTTP exchanges redacted (workers/provider.Redact).
type ProviderCall struct {
	MerchantID    uuid.UUID
	TransactionID uuid.UUID
	Provider      string
	Operation     string
	Attempt       int
	StartedAt     time.Time
	Latency       time.Duration
	Outcome       string
	Code          string
	Exchanges     json.RawMessage // [{method, path, status, request, response, latency_ms, error}]
}

// ProviderCallInsert queues the record of a provider call, so that it
// commits with the call's result in the same round trip.
func (b *Batch) ProviderCallInsert(c ProviderCall) {
	ex := c.Exchanges
	if len(ex) == 0 {
		ex = json.RawMessage(`[]`)
	}
	b.b.Queue(`INSERT INTO provider_calls (merchant_id, transaction_id, provider, operation, attempt, started_at,
		latency_ms, outcome, code, exchanges) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		c.MerchantID, c.TransactionID, c.Provider, c.Operation, c.Attempt, c.StartedAt, c.Latency.Milliseconds(),
		c.Outcome, c.Code, ex)
}

// ProviderCallRecord writes the record of a provider call on its own, for
// a call whose result did not commit with it (its claim was lost).
func (s *Store) ProviderCallRecord(ctx context.Context, c ProviderCall) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var b Batch
		b.ProviderCallInsert(c)
		return b.Send(ctx, tx)
	})
}

// ProviderCalls lists a merchant's transaction's provider calls in order.
func (s *Store) ProviderCalls(ctx context.Context, merchantID, txnID uuid.UUID) ([]ProviderCall, error) {
	rows, err := s.Pool.Query(ctx, `SELECT merchant_id, transaction_id, provider, operation, attempt, started_at,
		latency_ms, outcome, code, exchanges FROM provider_calls WHERE merchant_id = $1 AND transaction_id = $2 ORDER BY id`,
		merchantID, txnID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ProviderCall, error) {
		var c ProviderCall
		var ms int64
		err := r.Scan(&c.MerchantID, &c.TransactionID, &c.Provider, &c.Operation, &c.Attempt, &c.StartedAt, &ms,
			&c.Outcome, &c.Code, &c.Exchanges)
		c.Latency = time.Duration(ms) * time.Millisecond
		return c, err
	})
}
