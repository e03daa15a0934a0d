// Package tracing carries OpenTelemetry trace context through Switchyard:
// HTTP request → NATS command headers → intake → provider call → event →
// webhook attempt, each hop a span that is a child of the one before.
//
// Setup builds the SDK TracerProvider. It always makes spans and ids, so
// that a traceparent exists to propagate and to log, but it exports them
// (OTLP over HTTP) only when an endpoint is configured: by default nothing
// is sent anywhere.
//
// Propagation is W3C trace context (the traceparent and tracestate
// headers). InjectNATS/ExtractNATS and InjectHTTP/ExtractHTTP move it in and
// out of message and request headers; TraceParent and WithTraceParent turn
// it into the one string that is kept where no header travels (a
// transaction's details, an event envelope's traceparent attribute, the
// CloudEvents distributed-tracing extension). LogHandler adds trace_id and
// span_id to every log record written with a context that carries a span.
package tracing
