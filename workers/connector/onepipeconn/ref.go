package onepipeconn

import (
	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// TransactionRef is the transaction_ref of operation op on transaction id:
// the same on every attempt, so that OnePipe refuses a second transaction
// with it (code 94) and a query by it finds the first.
func TransactionRef(id uuid.UUID, op string) string { return id.String() + ":" + op }

// RequestRef is the request_ref of operation op on transaction id: the
// same on every attempt, so that OnePipe answers a repeat with the first
// answer and acts once.
func RequestRef(id uuid.UUID, op string) string { return "req:" + id.String() + ":" + op }

// queryRef is a fresh request_ref for one query: a query must never reuse
// the call's request_ref (OnePipe would answer it with the call's answer,
// not the transaction's state), nor an earlier query's (it would get that
// query's answer again).
func queryRef() string { return "query:" + uuid.NewString() }

// subjectRef is the transaction_ref operation op of t acts on: a consent's
// own for consent, validate and a consent's release (of its verification
// hold); a hold's own for hold and a hold's release; a capture's own for
// capture (its parent is the hold's).
func subjectRef(t *store.Txn, op string) string {
	switch {
	case op == OpValidate, op == OpRelease && t.Type == typeConsent:
		return TransactionRef(t.ID, OpConsent)
	case op == OpRelease:
		return TransactionRef(t.ID, OpHold)
	}
	return TransactionRef(t.ID, op)
}

// typeConsent is the consent lifecycle's transaction type
// (orchestrator/consent); every other type release acts on is a hold.
const typeConsent = "consent"
