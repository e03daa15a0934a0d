package utilityconn

import (
	"encoding/json"
	"fmt"

	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/utility"
)

// Who the requests say they come from.
const (
	institutionID   = "switchyard"
	institutionName = "Switchyard"
)

// purchaseRequest builds t's purchase request from its detail alone (and
// the merchant's client_id when the detail names none): every attempt, the
// first purchase and every retry, sends the same id, time and body.
func purchaseRequest(s *secret.Sealer, t *store.Txn, d PurchaseDetail, clientID string) (utility.PurchaseRequest, error) {
	amount, err := utility.NewLedgerAmount(d.Amount, d.Currency)
	if err != nil {
		return utility.PurchaseRequest{}, fmt.Errorf("amount: %w", err)
	}
	tenders, err := tendersOf(d)
	if err != nil {
		return utility.PurchaseRequest{}, err
	}
	meter := utility.Meter{MeterID: d.Meter.MeterID}
	if meter.MeterID == "" {
		if meter.Track2Data, err = track2Of(s, t); err != nil {
			return utility.PurchaseRequest{}, err
		}
	}
	if d.ClientID != "" {
		clientID = d.ClientID
	}
	req := utility.PurchaseRequest{
		ID: d.PurchaseID.String(), Time: d.RequestedAt.UTC().Truncate(millisecond),
		Meter: meter, PurchaseAmount: amount, UtilityType: d.UtilityType, MSISDN: d.MSISDN, Tenders: tenders,
		Originator: utility.Originator{Institution: utility.Institution{ID: institutionID, Name: institutionName},
			Merchant: &utility.Merchant{MerchantID: t.MerchantID.String()}},
		Client:                utility.Institution{ID: clientID},
		ThirdPartyIdentifiers: thirdParty(t),
		TranType:              "GOODS_AND_SERVICES",
	}
	if t.Reference != "" {
		req.TransactionLabels = []utility.TransactionLabel{{Name: "reference", Value: t.Reference}}
	}
	return req, nil
}

// thirdParty identifies t in our system, on every request about it.
func thirdParty(t *store.Txn) []utility.ThirdPartyIdentifier {
	return []utility.ThirdPartyIdentifier{{InstitutionID: institutionID, TransactionIdentifier: t.ID.String()}}
}

// tendersOf converts the detail's tenders to the provider's, in minor units
// of the purchase's currency.
func tendersOf(d PurchaseDetail) ([]utility.Tender, error) {
	if len(d.Tenders) == 0 || string(d.Tenders) == "null" {
		return nil, nil
	}
	var in []TenderDetail
	if err := json.Unmarshal(d.Tenders, &in); err != nil {
		return nil, fmt.Errorf("tenders: %w", err)
	}
	out := make([]utility.Tender, 0, len(in))
	for i, td := range in {
		amt, err := utility.NewLedgerAmount(td.Amount, d.Currency)
		if err != nil {
			return nil, fmt.Errorf("tenders[%d].amount: %w", i, err)
		}
		out = append(out, utility.Tender{TenderType: td.TenderType, AccountType: td.AccountType, Amount: amt, Reference: td.Reference})
	}
	return out, nil
}
