package utilityconn

import (
	"errors"
	"net/http"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/utility"
)

// call is the kind of request an answer is to.
type call int

const (
	vend   call = iota + 1 // POST /tokenPurchases/{id}
	retry                  // POST /tokenPurchases/{id}/retry
	advice                 // a confirmation or reversal advice
)

// row is one line of the outcome table: an answer to a call of kind call
// whose client class is kind (and, when set, whose HTTP status is status
// and code is code, "*" for any code but none) means outcome.
type row struct {
	call    call
	kind    provider.Kind
	status  int
	code    string
	outcome lifecycle.Outcome
}

// anyCode matches an answer that carries an errorType, whatever it is.
const anyCode = "*"

// outcomes is the one table of the utility provider's answers, first match
// wins; success (2xx, with readable tokens for a purchase) is OK. The
// client (package utility) classes the statuses: 400 declined; time-out,
// reset, 500/502/503/504 and a 2xx without readable tokens unknown;
// connection refused, 401/403, 501, 404 without an errorType failed; for
// advices every answer but 2xx and 400 retry-later.
var outcomes = []row{
	// A purchase with this id exists at the provider (an earlier attempt
	// arrived): not a decline. Answered by the retry (see purchase.go).
	{call: vend, kind: provider.KindDeclined, code: utility.ErrDuplicate, outcome: lifecycle.Unknown},
	{call: vend, kind: provider.KindDeclined, outcome: lifecycle.Declined},
	{call: vend, kind: provider.KindFailed, outcome: lifecycle.Failed},

	// The provider never received the purchase, and declines its retry.
	{call: retry, kind: provider.KindDeclined, status: http.StatusNotFound, code: anyCode, outcome: lifecycle.NotFound},
	{call: retry, kind: provider.KindDeclined, outcome: lifecycle.Declined},
	// The retry itself did not reach the provider (refused, 401, 501): it
	// says nothing of the purchase it asks about, which may have arrived.
	{call: retry, kind: provider.KindFailed, outcome: lifecycle.Unknown},

	// An advice is final at 202 or 400; anything else is sent again.
	{call: advice, kind: provider.KindDeclined, outcome: lifecycle.Declined},
	{call: advice, outcome: lifecycle.RetryLater},
}

// resultOf is op's result for the error of a call of kind c.
func resultOf(op string, c call, err error) lifecycle.Result {
	r := lifecycle.Result{Op: op, Outcome: lifecycle.OK}
	if err == nil {
		return r
	}
	var pe *provider.Error
	if errors.As(err, &pe) {
		r.Code, r.Message = pe.Code, pe.Message
	} else {
		r.Message = err.Error()
	}
	r.Outcome = outcomeOf(c, pe)
	return r
}

// outcomeOf is the first row matching an answer; an answer no row names
// (a time-out, a 5xx of a purchase) is unknown.
func outcomeOf(c call, pe *provider.Error) lifecycle.Outcome {
	var kind provider.Kind
	var status int
	var code string
	if pe != nil {
		kind, status, code = pe.Kind, pe.Status, pe.Code
	}
	for _, w := range outcomes {
		if w.call == c && (w.kind == 0 || w.kind == kind) && (w.status == 0 || w.status == status) && codeMatches(w.code, code) {
			return w.outcome
		}
	}
	return lifecycle.Unknown
}

func codeMatches(want, got string) bool {
	switch want {
	case "":
		return true
	case anyCode:
		return got != ""
	}
	return want == got
}

// duplicate reports whether a purchase was refused because one with its id
// exists at the provider.
func duplicate(err error) bool {
	var pe *provider.Error
	return errors.As(err, &pe) && pe.Kind == provider.KindDeclined && pe.Code == utility.ErrDuplicate
}
