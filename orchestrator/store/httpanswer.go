package store

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// MaxHTTPAnswerBody bounds a kept answer's body (the table checks it too).
const MaxHTTPAnswerBody = 256 << 10

// HTTPAnswer is the first finished answer to an HTTP command request.
type HTTPAnswer struct {
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

// HTTPAnswerGet loads the answer kept for (merchant, idempotency key).
func (s *Store) HTTPAnswerGet(ctx context.Context, merchantID uuid.UUID, key string) (*HTTPAnswer, error) {
	var a HTTPAnswer
	err := s.Pool.QueryRow(ctx, `SELECT status, content_type, location, body FROM http_answers
		WHERE merchant_id = $1 AND idempotency_key = $2`, merchantID, key).
		Scan(&a.Status, &a.ContentType, &a.Location, &a.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &a, err
}

// HTTPAnswerKeepFirst keeps a as the answer for (merchant, idempotency key)
// unless one is kept already, and returns the kept one: a, or the earlier
// answer (first reports which). The command must be committed (foreign key).
func (s *Store) HTTPAnswerKeepFirst(ctx context.Context, merchantID uuid.UUID, key string, a *HTTPAnswer) (kept *HTTPAnswer, first bool, err error) {
	tag, err := s.Pool.Exec(ctx, `INSERT INTO http_answers (merchant_id, idempotency_key, status, content_type, location, body)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (merchant_id, idempotency_key) DO NOTHING`,
		merchantID, key, a.Status, a.ContentType, a.Location, a.Body)
	if err != nil {
		return nil, false, err
	}
	if tag.RowsAffected() == 1 {
		return a, true, nil
	}
	kept, err = s.HTTPAnswerGet(ctx, merchantID, key)
	return kept, false, err
}
