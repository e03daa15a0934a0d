package api

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/switchyard/switchyard/orchestrator/tracing"
)

// traceRequests gives every request a span "HTTP <route pattern>", the
// child of the request's traceparent, or the root of a new trace.
func traceRequests(tp trace.TracerProvider, next http.Handler) http.Handler {
	tracer := tracing.Tracer(tp)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, span := tracer.Start(tracing.ExtractHTTP(r.Context(), r.Header), "HTTP "+r.Method,
			trace.WithSpanKind(trace.SpanKindServer))
		defer span.End()
		r = r.WithContext(ctx)
		next.ServeHTTP(w, r)
		if r.Pattern != "" { // set by the mux on this very request
			span.SetName("HTTP " + r.Pattern)
			span.SetAttributes(attribute.String("http.route", r.Pattern))
		}
	})
}

// spanStatus records a request's answer on its span.
func spanStatus(ctx context.Context, status int) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(attribute.Int("http.response.status_code", status))
	if status >= http.StatusInternalServerError {
		span.SetStatus(codes.Error, http.StatusText(status))
	}
}
