package tracing

import "go.opentelemetry.io/otel/trace"

// Scope is the instrumentation scope of Switchyard's spans.
const Scope = "github.com/switchyard/switchyard"

// Tracer is Switchyard's tracer of tp, or of a no-op provider when tp is
// nil.
func Tracer(tp trace.TracerProvider) trace.Tracer {
	if tp == nil {
		tp = Noop()
	}
	return tp.Tracer(Scope)
}
