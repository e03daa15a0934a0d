package broker

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
)

// MerchantConsumer is the name of the durable pull consumer on PAY_EVENTS
// through which a merchant reads its own events. Switchyard creates it; the
// merchant may only fetch from it, read its info and ack.
func MerchantConsumer(merchantID string) string { return "merchant-" + merchantID }

// MerchantConsumerConfig is the configuration of a merchant's consumer: its
// own events only, explicit acks.
func MerchantConsumerConfig(merchantID string) jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       MerchantConsumer(merchantID),
		Description:   "events of merchant " + merchantID,
		FilterSubject: events.EventRoot + "." + merchantID + ".>",
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	}
}

// EnsureMerchantConsumer creates (or restores the configuration of) the
// merchant's consumer; safe to repeat.
func EnsureMerchantConsumer(ctx context.Context, js jetstream.JetStream, merchantID string) error {
	if _, err := js.CreateOrUpdateConsumer(ctx, events.StreamEvents, MerchantConsumerConfig(merchantID)); err != nil {
		return fmt.Errorf("consumer %s: %w", MerchantConsumer(merchantID), err)
	}
	return nil
}
