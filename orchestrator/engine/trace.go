package engine

import (
	"context"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/tracing"
)

// detailTraceParent is the details key of the traceparent of the last
// command applied: the provider calls, timers and events that follow it
// continue its trace.
const detailTraceParent = "traceparent"

// TraceParent is the traceparent kept in t's details ("" when none).
func TraceParent(t *store.Txn) string {
	raw := t.Details[detailTraceParent]
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return ""
	}
	return string(raw[1 : len(raw)-1]) // a traceparent needs no JSON escape
}

// keepTraceParent stores ctx's traceparent in t's details, for the hops
// that follow a command. A provider's command (a callback) keeps the trace
// the merchant's command started, unless there is none.
func keepTraceParent(ctx context.Context, t *store.Txn, fromProvider bool) {
	tp := tracing.TraceParent(ctx)
	if tp == "" || (fromProvider && TraceParent(t) != "") {
		return
	}
	lifecycle.SetDetail(t, detailTraceParent, tp)
}

// traceOf is the traceparent the events written now for t carry: ctx's
// span, else the one t keeps.
func traceOf(ctx context.Context, t *store.Txn) string {
	if tp := tracing.TraceParent(ctx); tp != "" {
		return tp
	}
	return TraceParent(t)
}
