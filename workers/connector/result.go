package connector

import (
	"errors"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/provider"
)

// ResultOf maps a connector's error onto the lifecycles' outcome classes:
// the one place where a *provider.Error becomes a lifecycle.Result.
func ResultOf(op string, err error) lifecycle.Result {
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
	switch provider.KindOf(err) {
	case provider.KindDeclined:
		r.Outcome = lifecycle.Declined
	case provider.KindRetryLater:
		r.Outcome = lifecycle.RetryLater
	case provider.KindFailed:
		r.Outcome = lifecycle.Failed
		if pe != nil && pe.Code == provider.CodeNotFound {
			r.Outcome = lifecycle.NotFound
		}
	default:
		r.Outcome = lifecycle.Unknown
	}
	return r
}
