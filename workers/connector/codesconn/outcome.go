package codesconn

import (
	"errors"
	"strconv"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/provider"
)

// declined are the provider's error statuses (seed 002's "Errors" tables)
// and the sentence each stands for. Each is a decline whose code is the
// status ("431"): the provider answered and refused, whatever the client's
// class (403 and 512 are KindFailed in package paycode: to a code's
// lifecycle they are still an answer, not a maybe).
var declined = map[int]string{
	400: "The provider refused the request: a parameter is missing or the request is not valid JSON.",
	403: "The provider refused the merchant's login: the codes credentials are wrong or the merchant account is suspended.",
	431: "The code does not exist at the provider.",
	439: "The code is not a valid code at the provider (it may be used or expired).",
	440: "The provider's validation refused the code's terms.",
	512: "The provider reported a general system error and did not act.",
	513: "The code belongs to another merchant account at the provider.",
}

// resultOf is op's result for a call's error: OK, Declined with the status
// as code and its sentence (plus what the provider said), or Unknown for
// everything else (time-out, dropped connection, 500, 502-504, an
// unreadable answer): the call may have happened.
func resultOf(op string, err error) lifecycle.Result {
	r := lifecycle.Result{Op: op, Outcome: lifecycle.OK}
	if err == nil {
		return r
	}
	r.Outcome, r.Message = lifecycle.Unknown, err.Error()
	var pe *provider.Error
	if !errors.As(err, &pe) {
		return r
	}
	if pe.Status != 0 {
		r.Code = strconv.Itoa(pe.Status)
	}
	if sentence, ok := declined[pe.Status]; ok {
		r.Outcome, r.Message = lifecycle.Declined, sentence
		if pe.Message != "" {
			r.Message += " The provider said: " + pe.Message
		}
	}
	return r
}

// statusOf is the provider's HTTP status in err, or 0.
func statusOf(err error) int {
	var pe *provider.Error
	if errors.As(err, &pe) {
		return pe.Status
	}
	return 0
}

// invalid is the result of an operation whose request cannot be built from
// its transaction (never sent, and never sendable): a decline of ours.
func invalid(op string, err error) lifecycle.Result {
	return lifecycle.Result{Op: op, Outcome: lifecycle.Declined, Code: CodeInvalidRequest, Message: err.Error()}
}

// CodeInvalidRequest is the code of a result whose request could not be
// built from the transaction (its code spec or payment data is unreadable).
const CodeInvalidRequest = "invalid_request"
