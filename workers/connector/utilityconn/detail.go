package utilityconn

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/orchestrator/purchase"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
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

// PurchaseOf reads t's purchase request as the purchase lifecycle keeps it
// (purchase.Request), written once by its Create and never changed, so
// that every attempt sends the identical request.
func PurchaseOf(t *store.Txn) (PurchaseDetail, error) {
	r, err := purchase.Request(t)
	if err != nil {
		return PurchaseDetail{}, fmt.Errorf("%w: %v", errNoPurchase, err)
	}
	amount, err := decimal.NewFromString(r.Amount)
	if err != nil {
		return PurchaseDetail{}, fmt.Errorf("%w: amount %q", errNoPurchase, r.Amount)
	}
	return PurchaseDetail{PurchaseID: r.PurchaseID, RequestedAt: r.RequestedAt,
		Meter:  MeterDetail{MeterID: r.Meter.MeterID, Track2: r.Meter.ByTrack2()},
		Amount: amount, Currency: r.Currency, UtilityType: r.UtilityType, MSISDN: r.MSISDN, Tenders: r.Tenders}, nil
}

// AdviceID is the id of t's advice op ("confirm", "reverse"): the same on
// every repeat, so that the provider counts the advice once.
func AdviceID(t *store.Txn, op string) uuid.UUID { return purchase.AdviceID(t, op) }

// track2Of opens t's sealed track2 data.
func track2Of(s *secret.Sealer, t *store.Txn) (string, error) { return purchase.Track2(s, t) }

// codeInvalidPurchase is the code of a purchase that cannot be sent, now
// or ever: its detail is missing or unusable.
const codeInvalidPurchase = "invalid_purchase"

const millisecond = time.Millisecond
