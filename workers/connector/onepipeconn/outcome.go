package onepipeconn

import (
	"errors"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/onepipe"
	"github.com/switchyard/switchyard/workers/provider"
)

// ask is the kind of request an answer is to.
type ask int

const (
	askCall  ask = iota + 1 // the operation's own call
	askQuery                // /transact/query about the transaction it names (Recover)
)

// next is what an answer leads to beyond its result.
type next int

const (
	final     next = iota // the answer is the result
	thenQuery             // the answer is the query's (an earlier attempt exists)
	thenCall              // the call never arrived: make it, with its original refs
)

// row is one line of the outcome table: an answer to a request of kind ask
// (0: any) for operation op ("": any), which OnePipe accepted with status
// (kind 0) or refused with an error of kind and, when set, code, means
// outcome; code, when the row sets result, replaces the provider's code.
type row struct {
	op      string
	ask     ask
	status  onepipe.Status
	kind    provider.Kind
	code    string
	outcome lifecycle.Outcome
	result  string // the result's Code ("": the provider's code on a refusal, none on OK)
	next    next
}

// outcomes is the one table of OnePipe's answers, first match wins; an
// answer no row names (a time-out, 502/503/504, an unreadable answer or
// status) is Unknown. The client (package onepipe) classes them: Failed is
// KindDeclined with provider_response_code; refused connections, 4xx and
// 500 KindFailed; time-outs, resets, 502/503/504 KindUnknown.
var outcomes = []row{
	// A transaction_ref OnePipe already has: an earlier attempt arrived
	// (with a request_ref OnePipe no longer replays). Asked by query; the
	// decline stands only if the query finds nothing.
	{ask: askCall, kind: provider.KindDeclined, code: onepipe.CodeDuplicate, outcome: lifecycle.Declined, next: thenQuery},
	// The query does not know the transaction: the call never arrived.
	{ask: askQuery, kind: provider.KindDeclined, code: onepipe.CodeNotFound, next: thenCall},
	// The consent still waits for its OTP: the validate never arrived.
	{op: OpValidate, ask: askQuery, status: onepipe.StatusWaitingForOTP, next: thenCall},
	{op: OpValidate, ask: askQuery, status: onepipe.StatusPendingValidation, next: thenCall},
	// A query that did not reach OnePipe (refused, 401, 500) says nothing
	// of the call it asks about.
	{ask: askQuery, kind: provider.KindFailed, outcome: lifecycle.Unknown},

	{status: onepipe.StatusSuccessful, outcome: lifecycle.OK},
	{status: onepipe.StatusWaitingForOTP, outcome: lifecycle.OK, result: codeWaitingForOTP},
	{status: onepipe.StatusPendingValidation, outcome: lifecycle.OK, result: codePendingValidation},
	{kind: provider.KindDeclined, outcome: lifecycle.Declined},
	{kind: provider.KindFailed, outcome: lifecycle.Failed},
}

// The result codes of a consent (or validate) that waits for the customer;
// the provider's prompt is the result's Message.
const (
	codeWaitingForOTP     = "WaitingForOTP"
	codePendingValidation = "PendingValidation"
)

// answer is what came back from one request.
type answer struct {
	res *onepipe.Result // nil when err is set
	err error
}

// match is the first row for an answer of op to a request of kind a.
func match(op string, a ask, ans answer) row {
	var status onepipe.Status
	var kind provider.Kind
	var code string
	var pe *provider.Error
	switch {
	case ans.err == nil && ans.res != nil:
		status = ans.res.Status
	case errors.As(ans.err, &pe):
		kind, code = pe.Kind, pe.Code
	default:
		kind = provider.KindOf(ans.err)
	}
	for _, w := range outcomes {
		if (w.op == "" || w.op == op) && (w.ask == 0 || w.ask == a) && w.status == status &&
			(w.kind == 0 && status != "" || w.kind != 0 && w.kind == kind) && (w.code == "" || w.code == code) {
			return w
		}
	}
	return row{outcome: lifecycle.Unknown}
}

// resultOf is op's result for an answer and the row it matched.
func resultOf(op string, ans answer, w row) lifecycle.Result {
	r := lifecycle.Result{Op: op, Outcome: w.outcome, Code: w.result}
	var pe *provider.Error
	switch {
	case ans.err == nil:
		r.Message = ans.res.Message
	case errors.As(ans.err, &pe):
		if r.Code == "" && (w.outcome == lifecycle.Declined || w.outcome == lifecycle.Failed) {
			r.Code = pe.Code
		}
		r.Message = pe.Message
	default:
		r.Message = ans.err.Error()
	}
	if w.outcome == lifecycle.OK && ans.res != nil {
		r.ProviderReference = ans.res.Reference
		r.Data = dataOf(op, ans.res)
		if grants(op) && ans.res.ProviderToken != "" {
			r.Secret = lifecycle.NewSecret([]byte(ans.res.ProviderToken))
		}
	}
	return r
}

// grants reports whether op's OK answer may carry a consent's provider
// token (consent with OTP override, validate, or their queries); any other
// operation's answer never passes one on.
func grants(op string) bool { return op == OpConsent || op == OpValidate }
