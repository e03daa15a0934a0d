package store

import (
	"context"
	"fmt"
)

// ProviderAccountCounts returns, for every provider some merchant has an
// account with, how many merchants have one.
func (s *Store) ProviderAccountCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.Pool.Query(ctx, `SELECT provider, count(*) FROM provider_accounts GROUP BY provider`)
	if err != nil {
		return nil, fmt.Errorf("provider account counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			return nil, fmt.Errorf("provider account counts: %w", err)
		}
		out[p] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("provider account counts: %w", err)
	}
	return out, nil
}
