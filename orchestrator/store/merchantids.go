package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// MerchantIDs returns the id of every merchant, oldest first.
func (s *Store) MerchantIDs(ctx context.Context) ([]uuid.UUID, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id FROM merchants ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("merchant ids: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return nil, fmt.Errorf("merchant ids: %w", err)
	}
	return ids, nil
}
