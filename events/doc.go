// Package events is Switchyard's wire contract: the CloudEvents 1.0 command
// and event envelopes, the NATS subjects they travel on, the command and
// event type names, the transaction resource, and the reasons a command is
// rejected. It has no dependency on the orchestrator and may be imported by
// clients.
//
// Commands are published to pay.cmd.<merchant_id>.<command type> with the
// header Nats-Msg-Id set to the command id; results come back on
// pay.evt.<merchant_id>.<event type>. Every event carries the id of the
// command that caused it (causationid) and a sequence that counts 1, 2, 3…
// per transaction with no gaps. An event written by traced work carries its
// W3C traceparent (the CloudEvents distributed-tracing extension), and the
// NATS message the same as a traceparent header.
package events
