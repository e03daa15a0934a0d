package processoneconn

import (
	"context"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/processone"
)

// CallbackID is the CallbackId of operation op on transaction id: the
// same for every attempt, so that ProcessOne refuses a second one and the
// query by CallbackId finds the first.
func CallbackID(id uuid.UUID, op string) string { return id.String() + ":" + op }

// sent is what a call (or the transaction found by its CallbackId) says
// beyond its outcome.
type sent struct {
	id    string // ProcessOne's TransactionId
	token string // the saved card's or account's token (a charge with Save)
	brand processone.CreditCardType
}

// send makes an operation's call once and returns ProcessOne's answer.
type send func(ctx context.Context) (sent, error)

// perform makes the call. A DuplicateTransaction answer means a
// transaction with this CallbackId may exist (an earlier attempt): it is
// answered by the query, never as a decline of this call.
func perform(ctx context.Context, cl *processone.Client, op, cb string, call send) (lifecycle.Result, sent) {
	s, err := call(ctx)
	r := resultOf(op, err)
	r.ProviderReference = s.id
	if !verdictOf(r.Code).Query {
		return r, s
	}
	found, qerr := cl.TransactionGetByCallbackID(ctx, &processone.GetTransactionByCallbackIDRequest{CallbackID: cb})
	switch {
	case processone.IsNotFound(qerr):
		return r, s // refused as a duplicate of another payment; nothing under this CallbackId
	case qerr != nil:
		return unknownQuery(op, qerr), sent{}
	}
	return foundResult(op, found.TransactionInformation, r.Code)
}

// recoverOp is an operation's Recover: an earlier attempt may have reached
// ProcessOne, so its CallbackId is asked first. Found: that transaction is
// the result. Not found (IncorrectTransactionId): it never arrived, and the
// call is made now with the same CallbackId. Anything else: unknown, asked
// again on the next claim.
func recoverOp(ctx context.Context, cl *processone.Client, op, cb string, call send) (lifecycle.Result, sent) {
	found, err := cl.TransactionGetByCallbackID(ctx, &processone.GetTransactionByCallbackIDRequest{CallbackID: cb})
	switch {
	case processone.IsNotFound(err):
		return perform(ctx, cl, op, cb, call)
	case err != nil:
		return unknownQuery(op, err), sent{}
	}
	return foundResult(op, found.TransactionInformation, processone.CodeDeclined)
}

// foundResult is op's result from the transaction its CallbackId names:
// it happened (Successful, or since voided, returned, reversed), it did
// not (Failed, Canceled: declined with failedCode, the record keeping no
// ResponseCode), or it is still in process (unknown).
func foundResult(op string, ti *processone.TransactionInformation, failedCode processone.ResponseCode) (lifecycle.Result, sent) {
	if ti == nil {
		return lifecycle.Result{Op: op, Outcome: lifecycle.Unknown, Message: "query by CallbackId answered no transaction"}, sent{}
	}
	s := sent{id: ti.TransactionID, brand: ti.CreditCardType}
	if ti.ProcessOneToken != nil {
		s.token = *ti.ProcessOneToken
	}
	r := lifecycle.Result{Op: op, ProviderReference: ti.TransactionID}
	switch ti.TransactionStatus {
	case processone.StatusSuccessful, processone.StatusVoided, processone.StatusReturned,
		processone.StatusReversed, processone.StatusCardReleased:
		r.Outcome = lifecycle.OK
	case processone.StatusFailed, processone.StatusCanceled:
		r.Outcome, r.Code = lifecycle.Declined, failedCode
		r.Message = "ProcessOne recorded this " + op + " as failed (found by CallbackId)"
	default:
		r.Outcome, r.Message = lifecycle.Unknown, "ProcessOne has this "+op+" in process (found by CallbackId)"
	}
	return r, s
}

// unknownQuery: the query itself did not answer; what happened stays
// unknown.
func unknownQuery(op string, err error) lifecycle.Result {
	r := connector.ResultOf(op, err)
	r.Outcome = lifecycle.Unknown
	r.Message = "query by CallbackId: " + r.Message
	return r
}
