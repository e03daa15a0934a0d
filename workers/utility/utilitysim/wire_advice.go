package utilitysim

import "time"

// Advice is what confirmation and reversal advices share. ID is the advice's
// own id ({confirmationId} or {reversalId} of the path), RequestID the
// purchase it refers to ({purchaseId}).
type Advice struct {
	ID                    string                 `json:"id"`
	RequestID             string                 `json:"requestId"`
	Time                  time.Time              `json:"time"`
	TransactionLabels     []TransactionLabel     `json:"transactionLabels,omitempty"`
	ThirdPartyIdentifiers []ThirdPartyIdentifier `json:"thirdPartyIdentifiers"`
}

// ConfirmationAdvice confirms that the customer received the tokens and
// the tenders were collected.
type ConfirmationAdvice struct {
	Advice
	Tenders        []Tender        `json:"tenders,omitempty"`
	PaymentMethods []PaymentMethod `json:"paymentMethods,omitempty"`
}

// ReversalReason says why a purchase is reversed.
type ReversalReason string

// Reversal reasons.
const (
	ReversalTimedOut     ReversalReason = "TIMED_OUT"
	ReversalCancelled    ReversalReason = "CANCELLED"
	ReversalFaultyDevice ReversalReason = "FAULTY_DEVICE"
)

// ReversalAdvice cancels a purchase whose tokens were not delivered.
type ReversalAdvice struct {
	Advice
	ReversalReason ReversalReason `json:"reversalReason,omitempty"`
}
