package purchase

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Details keys of a purchase.
const (
	detailRequest = "purchase"       // Snapshot, written by Create, never changed
	detailState   = "purchase_state" // State (the machine's own fields)
	detailTrack2  = "track2_sealed"  // the meter's track2 data, sealed
)

// purposeTrack2 binds the sealed track2 data to its use.
const purposeTrack2 = "purchase.track2"

// Snapshot is everything the provider's purchase request needs, fixed when
// the purchase is created so that every attempt (the purchase, its
// retries, a resend) sends the identical request with the same id.
type Snapshot struct {
	// PurchaseID is the provider's {purchaseId}: a random v4 UUID,
	// committed with the transaction before the first call.
	PurchaseID uuid.UUID `json:"purchase_id"`
	// RequestedAt is the request's time (millisecond precision).
	RequestedAt time.Time    `json:"requested_at"`
	Meter       RequestMeter `json:"meter"`
	// Amount is a decimal string in major units ("50.00"), with the
	// currency's decimal places.
	Amount      string `json:"amount"`
	Currency    string `json:"currency"`
	UtilityType string `json:"utility_type"`
	MSISDN      string `json:"msisdn,omitempty"`
	// Tenders are purchase.create's tenders as the merchant gave them.
	Tenders json.RawMessage `json:"tenders,omitempty"`
}

// RequestMeter names the meter: by MeterID, or, when MeterID is empty, by
// its track2 data, which is sealed apart (Track2): Track2 is always "" here.
type RequestMeter struct {
	MeterID string `json:"meter_id,omitempty"`
	Track2  string `json:"track2"`
}

// ByTrack2 reports whether the meter is named by its track2 data.
func (m RequestMeter) ByTrack2() bool { return m.MeterID == "" }

// Request returns the purchase request kept in t.
func Request(t *store.Txn) (Snapshot, error) {
	var r Snapshot
	if !lifecycle.Detail(t, detailRequest, &r) || r.PurchaseID == uuid.Nil {
		return r, fmt.Errorf("purchase: transaction %s has no purchase request", t.ID)
	}
	return r, nil
}

// Track2 opens the meter's track2 data sealed in t; an error when the
// meter is not named by track2 data.
func Track2(s *secret.Sealer, t *store.Txn) (string, error) {
	plain, ok, err := lifecycle.OpenDetail(s, t, detailTrack2, purposeTrack2)
	switch {
	case !ok:
		return "", errors.New("purchase: transaction " + t.ID.String() + " has no track2 data")
	case err != nil:
		return "", fmt.Errorf("purchase: open the track2 data of %s: %w", t.ID, err)
	}
	return string(plain), nil
}

// AdviceID is the id of a purchase's advice op (confirm, reverse): the
// same for every repeat of the advice, and different per purchase and op.
func AdviceID(t *store.Txn, op string) uuid.UUID {
	return uuid.NewSHA1(t.ID, []byte("purchase advice/"+op))
}
