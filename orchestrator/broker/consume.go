package broker

import (
	"context"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go/jetstream"
)

// ConsumePool creates or updates the durable consumer cfg on stream and
// hands each message to handle, at most concurrency at once, until ctx ends;
// then it stops pulling and waits for the handlers in flight.
func ConsumePool(ctx context.Context, js jetstream.JetStream, stream string, cfg jetstream.ConsumerConfig,
	concurrency int, handle func(context.Context, jetstream.Msg)) error {
	cons, err := js.CreateOrUpdateConsumer(ctx, stream, cfg)
	if err != nil {
		return fmt.Errorf("consumer %s on %s: %w", cfg.Durable, stream, err)
	}
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	cc, err := cons.Consume(func(m jetstream.Msg) {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			handle(ctx, m)
		}()
	}, jetstream.PullMaxMessages(concurrency*2))
	if err != nil {
		return fmt.Errorf("consume %s: %w", cfg.Durable, err)
	}
	<-ctx.Done()
	cc.Stop()
	wg.Wait()
	return nil
}
