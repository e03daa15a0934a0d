package natsauth

import (
	"github.com/nats-io/jwt/v2"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
)

// InboxPrefix is the inbox prefix a merchant's client must set
// (nats.CustomInboxPrefix): the only inboxes it may subscribe to.
func InboxPrefix(merchantID string) string { return "_INBOX_" + merchantID }

// Permissions are a merchant's permissions: publish its own commands,
// subscribe to its own events and inboxes, fetch from, read and ack its own
// consumer, read $JS.API.INFO. Nothing else: in particular no consumer
// creation (a merchant could otherwise rewrite another consumer's filter or
// name a deliver subject no permission checks), no stream or consumer
// listing, no STREAM.MSG.GET or DIRECT.GET.
func Permissions(merchantID string) jwt.Permissions {
	cons := events.StreamEvents + "." + broker.MerchantConsumer(merchantID)
	var p jwt.Permissions
	p.Pub.Allow.Add(
		events.CommandRoot+"."+merchantID+".>",
		"$JS.API.INFO",
		"$JS.API.CONSUMER.MSG.NEXT."+cons,
		"$JS.API.CONSUMER.INFO."+cons,
		"$JS.ACK."+cons+".>",
		"$JS.ACK.*.*."+cons+".>", // v2 ack subjects: $JS.ACK.<domain>.<account hash>.<stream>.<consumer>…
	)
	p.Sub.Allow.Add(events.EventRoot+"."+merchantID+".>", InboxPrefix(merchantID)+".>")
	return p
}
