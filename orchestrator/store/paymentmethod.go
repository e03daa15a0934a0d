package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
)

// PaymentMethod is a payment_methods row: a saved card or bank account, by
// our own id (pm_…). TokenSealed is the provider's token, sealed with
// secret.PaymentMethodTokenAAD; it is never shown.
type PaymentMethod struct {
	MerchantID    uuid.UUID
	ID            string
	Provider      string
	Type          string // events.PaymentCard or events.PaymentBankAccount
	CustomerID    string
	Shown         events.PaymentMethod
	TokenSealed   []byte
	TransactionID uuid.UUID // the charge that saved it
	CreatedAt     time.Time
}

// PaymentMethodSave inserts pm. Saving an id the merchant already has
// changes nothing (the first row stays): a charge whose result is recorded
// twice saves once.
func (s *Store) PaymentMethodSave(ctx context.Context, pm *PaymentMethod) error {
	shown, err := json.Marshal(pm.Shown)
	if err != nil {
		return fmt.Errorf("payment method %s: %w", pm.ID, err)
	}
	_, err = s.Pool.Exec(ctx, `INSERT INTO payment_methods (merchant_id, id, provider, type, customer_id, shown,
		token_sealed, transaction_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (merchant_id, id) DO NOTHING`,
		pm.MerchantID, pm.ID, pm.Provider, pm.Type, pm.CustomerID, shown, pm.TokenSealed, pm.TransactionID)
	if err != nil {
		return fmt.Errorf("payment method %s: save: %w", pm.ID, err)
	}
	return nil
}

// PaymentMethodGet returns merchant's payment method id, or ErrNotFound.
func (s *Store) PaymentMethodGet(ctx context.Context, merchantID uuid.UUID, id string) (*PaymentMethod, error) {
	pm := PaymentMethod{MerchantID: merchantID, ID: id}
	var shown []byte
	err := s.Pool.QueryRow(ctx, `SELECT provider, type, customer_id, shown, token_sealed, transaction_id, created_at
		FROM payment_methods WHERE merchant_id = $1 AND id = $2`, merchantID, id).Scan(
		&pm.Provider, &pm.Type, &pm.CustomerID, &shown, &pm.TokenSealed, &pm.TransactionID, &pm.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("payment method %s: %w", id, err)
	}
	if err := json.Unmarshal(shown, &pm.Shown); err != nil {
		return nil, fmt.Errorf("payment method %s: shown: %w", id, err)
	}
	return &pm, nil
}
