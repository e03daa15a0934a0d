package tracing

import "bytes"

var (
	traceParentKey = []byte(`"traceparent":"`)
	dataKey        = []byte(`"data":`)
)

// traceParentLen is the length of a version-00 traceparent.
const traceParentLen = 55

// FromEnvelope is the traceparent attribute of a JSON event envelope as
// Switchyard writes it (events.Event), or "" when it has none, without
// decoding the payload: the relay and the webhook deliverer read it from
// every event they carry.
//
// It looks only before the envelope's "data" member, where events.Event
// puts its traceparent: inside the data a merchant's metadata may use the
// same key. A JSON string cannot hold an unescaped quote, so
// `"traceparent":"` found there is a member name, never part of a value of
// the fixed envelope attributes before it.
func FromEnvelope(payload []byte) string {
	head := payload
	if i := bytes.Index(payload, dataKey); i >= 0 {
		head = payload[:i]
	}
	i := bytes.Index(head, traceParentKey)
	if i < 0 {
		return ""
	}
	v := head[i+len(traceParentKey):]
	if len(v) < traceParentLen+1 || v[traceParentLen] != '"' {
		return ""
	}
	return string(v[:traceParentLen])
}
