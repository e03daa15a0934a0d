package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// SealedValue is one sealed column value and the row it belongs to.
type SealedValue struct {
	MerchantID uuid.UUID
	Key        string // provider (provider_accounts), transaction id (payment methods), "" (webhook secret)
	Sealed     []byte
}

// SealedValues lists every sealed value of kind: "provider_accounts",
// "webhook_secret" (the legacy merchant-level secret) or "payment_method"
// (the pending charges' card data). Webhook endpoints' secrets are not
// listed: they have been sealed bound to their row from the start, so the
// legacy re-sealing pass (engine.ResealLegacy) has nothing to do for them.
func (s *Store) SealedValues(ctx context.Context, kind string) ([]SealedValue, error) {
	q := map[string]string{
		"provider_accounts": `SELECT merchant_id, provider, credentials FROM provider_accounts`,
		// Merchants made since secrets belong to webhook endpoints have none.
		"webhook_secret": `SELECT id, '', webhook_secret FROM merchants WHERE webhook_secret IS NOT NULL`,
		"payment_method": `SELECT merchant_id, id::text, decode(details->>'pm_sealed', 'base64') FROM transactions
			WHERE details ? 'pm_sealed'`,
	}[kind]
	rows, err := s.Pool.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (SealedValue, error) {
		var v SealedValue
		err := r.Scan(&v.MerchantID, &v.Key, &v.Sealed)
		return v, err
	})
}

// SealedValueReplace swaps one sealed value for another, only if it is
// still the old one.
func (s *Store) SealedValueReplace(ctx context.Context, kind string, v SealedValue, sealed []byte) error {
	q := map[string]string{
		"provider_accounts": `UPDATE provider_accounts SET credentials = $4 WHERE merchant_id = $1 AND provider = $2 AND credentials = $3`,
		"webhook_secret":    `UPDATE merchants SET webhook_secret = $4 WHERE id = $1 AND $2 = '' AND webhook_secret = $3`,
		"payment_method": `UPDATE transactions SET details = jsonb_set(details, '{pm_sealed}', to_jsonb(encode($4, 'base64')))
			WHERE merchant_id = $1 AND id = $2::uuid AND decode(details->>'pm_sealed', 'base64') = $3`,
	}[kind]
	_, err := s.Pool.Exec(ctx, q, v.MerchantID, v.Key, v.Sealed, sealed)
	return err
}
