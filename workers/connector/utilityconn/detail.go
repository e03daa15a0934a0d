package utilityconn

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// What the purchase lifecycle keeps in a purchase transaction's details for
// this connector, written once by its Create and never changed, so that
// every attempt sends the identical request.
const (
	// DetailPurchase holds a PurchaseDetail as JSON.
	DetailPurchase = "purchase"
	// DetailTrack2 holds the meter's track2 data, sealed (SealTrack2) with
	// PurposeTrack2, when the meter is given by its track2 data. It is
	// never kept in clear: the retry needs it as long as the purchase may
	// be retried.
	DetailTrack2 = "purchase_track2"
	// PurposeTrack2 binds the sealed track2 data to its use.
	PurposeTrack2 = "purchase.track2"
)

// PurchaseDetail is everything a purchase request is built from (the
// details' "purchase" key): the connector reads nothing else of the
// transaction but its id, merchant and reference.
//
//	{"purchase_id":"<uuid v4>","requested_at":"2026-11-28T14:00:00.123456789Z",
//	 "meter":{"meter_id":"01000000000"},"amount":"50.00","currency":"ZAR",
//	 "utility_type":"electricity","msisdn":"+27821234567",
//	 "tenders":[{"tender_type":"CASH","amount":"50.00"}],"client_id":"..."}
type PurchaseDetail struct {
	// PurchaseID is the provider's {purchaseId}: a random v4 UUID made once
	// at Create, the same on every attempt and every advice.
	PurchaseID uuid.UUID `json:"purchase_id"`
	// RequestedAt is the request's time, the same on every attempt (sent
	// to the millisecond, as the provider recommends).
	RequestedAt time.Time       `json:"requested_at"`
	Meter       MeterDetail     `json:"meter"`
	Amount      decimal.Decimal `json:"amount"` // major units ("50.00")
	Currency    string          `json:"currency"`
	UtilityType string          `json:"utility_type,omitempty"`
	MSISDN      string          `json:"msisdn,omitempty"`
	// Tenders is a JSON array of TenderDetail, as the create command gave it.
	Tenders json.RawMessage `json:"tenders,omitempty"`
	// ClientID is the client.id sent; empty: the merchant's client_id.
	ClientID string `json:"client_id,omitempty"`
}

// MeterDetail names the meter: by MeterID, or (Track2 set, MeterID empty)
// by the track2 data sealed under DetailTrack2.
type MeterDetail struct {
	MeterID string `json:"meter_id,omitempty"`
	Track2  bool   `json:"track2,omitempty"`
}

// TenderDetail is one payment already collected at the point of sale, in the
// currency of the purchase.
type TenderDetail struct {
	TenderType  string          `json:"tender_type"` // CASH, CARD, ...
	Amount      decimal.Decimal `json:"amount"`      // major units
	AccountType string          `json:"account_type,omitempty"`
	Reference   string          `json:"reference,omitempty"`
}

// errNoPurchase: the transaction carries no readable purchase detail.
var errNoPurchase = errors.New("no purchase detail")

// PurchaseOf reads t's PurchaseDetail.
func PurchaseOf(t *store.Txn) (PurchaseDetail, error) {
	var d PurchaseDetail
	raw, ok := t.Details[DetailPurchase]
	if !ok {
		return d, errNoPurchase
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return d, fmt.Errorf("purchase detail: %w", err)
	}
	if d.PurchaseID == uuid.Nil || d.RequestedAt.IsZero() || (d.Meter.MeterID == "" && !d.Meter.Track2) {
		return d, fmt.Errorf("purchase detail: purchase_id, requested_at and meter are required")
	}
	return d, nil
}

// AdviceID is the id of t's advice op ("confirm", "reverse"): the same on
// every repeat, so that the provider counts the advice once.
func AdviceID(t *store.Txn, op string) uuid.UUID { return uuid.NewSHA1(t.ID, []byte(op)) }

// SealTrack2 seals a meter's track2 data into t's details (DetailTrack2);
// seal is the lifecycle's Sealer (Creation.Seal).
func SealTrack2(seal lifecycle.Sealer, t *store.Txn, track2 string) {
	seal(t, DetailTrack2, PurposeTrack2, []byte(track2))
}

// track2Of opens t's sealed track2 data.
func track2Of(s *secret.Sealer, t *store.Txn) (string, error) {
	plain, ok, err := lifecycle.OpenDetail(s, t, DetailTrack2, PurposeTrack2)
	switch {
	case err != nil:
		return "", fmt.Errorf("track2: %w", err)
	case !ok:
		return "", errors.New("track2: not in the transaction's details")
	}
	return string(plain), nil
}

// codeInvalidPurchase is the code of a purchase that cannot be sent, now
// or ever: its detail is missing or unusable.
const codeInvalidPurchase = "invalid_purchase"

const millisecond = time.Millisecond
