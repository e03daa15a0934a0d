package tracing

import (
	"context"
	"net/http"

	"github.com/nats-io/nats.go"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Header names of W3C trace context.
const (
	HeaderTraceParent = "traceparent"
	HeaderTraceState  = "tracestate"
)

// propagator is W3C trace context: traceparent and tracestate.
var propagator = propagation.TraceContext{}

// InjectHTTP sets traceparent (and tracestate) of ctx's span on h; nothing
// when ctx carries no valid span.
func InjectHTTP(ctx context.Context, h http.Header) {
	propagator.Inject(ctx, propagation.HeaderCarrier(h))
}

// ExtractHTTP returns ctx with the remote span of h's traceparent, or ctx
// as it is when h has none (or an invalid one).
func ExtractHTTP(ctx context.Context, h http.Header) context.Context {
	return propagator.Extract(ctx, propagation.HeaderCarrier(h))
}

// InjectNATS sets traceparent (and tracestate) of ctx's span on a NATS
// message's headers, lower-case as W3C writes them.
func InjectNATS(ctx context.Context, h nats.Header) {
	propagator.Inject(ctx, natsCarrier(h))
}

// ExtractNATS returns ctx with the remote span of h's traceparent, or ctx as
// it is when h has none.
func ExtractNATS(ctx context.Context, h nats.Header) context.Context {
	if len(h) == 0 {
		return ctx
	}
	return propagator.Extract(ctx, natsCarrier(h))
}

// natsCarrier is a TextMapCarrier over NATS headers, whose keys are case
// sensitive: the W3C lower-case name first, then its canonical MIME form
// (Traceparent) that HTTP habits produce.
type natsCarrier nats.Header

func (c natsCarrier) Get(key string) string {
	if v := nats.Header(c).Get(key); v != "" {
		return v
	}
	return http.Header(c).Get(key)
}

func (c natsCarrier) Set(key, value string) { nats.Header(c).Set(key, value) }

func (c natsCarrier) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}

// TraceParent is the traceparent header value of ctx's span, or "" when
// ctx carries no valid span.
func TraceParent(ctx context.Context) string {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return ""
	}
	return format(sc)
}

// format writes sc as a version-00 traceparent.
func format(sc trace.SpanContext) string {
	const hex = "0123456789abcdef"
	var b [55]byte
	copy(b[:3], "00-")
	tid, sid := sc.TraceID(), sc.SpanID()
	for i, v := range tid {
		b[3+2*i], b[4+2*i] = hex[v>>4], hex[v&0xf]
	}
	b[35] = '-'
	for i, v := range sid {
		b[36+2*i], b[37+2*i] = hex[v>>4], hex[v&0xf]
	}
	b[52] = '-'
	f := sc.TraceFlags()
	b[53], b[54] = hex[f>>4], hex[f&0xf]
	return string(b[:])
}

// WithTraceParent returns ctx with the remote span of traceparent tp, or ctx
// as it is when tp is empty or invalid.
func WithTraceParent(ctx context.Context, tp string) context.Context {
	if tp == "" {
		return ctx
	}
	return propagator.Extract(ctx, parentCarrier(tp))
}

// parentCarrier carries one traceparent and nothing else.
type parentCarrier string

func (c parentCarrier) Get(key string) string {
	if key == HeaderTraceParent {
		return string(c)
	}
	return ""
}

func (parentCarrier) Set(string, string) {}
func (parentCarrier) Keys() []string     { return []string{HeaderTraceParent} }
