package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// MerchantGetTx finds a merchant by id inside tx: code that runs inside a
// transaction never takes a second pooled connection.
func MerchantGetTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) (*Merchant, error) {
	return scanMerchant(tx.QueryRow(ctx, `SELECT `+merchantCols+` FROM merchants WHERE id = $1`, id))
}
