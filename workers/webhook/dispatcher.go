package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/webhook"
)

// Consumer settings.
const (
	ConsumerName    = "webhooks"
	ConsumerAckWait = 30 * time.Second
	// RetryDelay is the wait before a message whose deliveries could not be
	// written (database down) is delivered again.
	RetryDelay = time.Second
)

// ConsumerConfig is the dispatcher's durable consumer: every merchant
// event, never given up on (the deliveries are idempotent).
func ConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable: ConsumerName, AckPolicy: jetstream.AckExplicitPolicy, AckWait: ConsumerAckWait,
		MaxDeliver: -1, FilterSubject: events.EventRoot + ".>", DeliverPolicy: jetstream.DeliverAllPolicy,
		MaxAckPending: 4096,
	}
}

// Dispatcher turns merchant events into webhook deliveries.
type Dispatcher struct {
	cfg   Config
	pool  *broker.Pool
	cache *endpointCache
	in    chan *dispatchItem // to the batcher
}

// MaxBatch is the most events whose deliveries are written in one
// transaction.
const MaxBatch = 128

// NewDispatcher returns a Dispatcher; Run starts it.
func NewDispatcher(cfg Config) (*Dispatcher, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.JetStream == nil {
		return nil, errors.New("webhook: Config.JetStream is required")
	}
	d := &Dispatcher{cfg: cfg, cache: newEndpointCache(cfg.Store, cfg.CacheFor), in: make(chan *dispatchItem)}
	d.pool = broker.NewPool(cfg.JetStream, broker.PoolConfig{Stream: events.StreamEvents, Consumer: ConsumerConfig(),
		Concurrency: cfg.DispatchConcurrency, Handle: d.handle, Log: cfg.Log})
	return d, nil
}

// Run consumes until ctx ends, recreating the consumer when it is lost.
func (d *Dispatcher) Run(ctx context.Context) error {
	done := make(chan struct{})
	go func() { defer close(done); d.batch(ctx) }()
	defer func() { <-done }()
	return d.pool.Run(ctx)
}

// Ready is nil while the consumer is in place.
func (d *Dispatcher) Ready(context.Context) error {
	if err := d.pool.Ready(); err != nil {
		return fmt.Errorf("webhooks: %w", err)
	}
	return nil
}

// event is what the dispatcher reads of an event envelope.
type event struct {
	ID         uuid.UUID `json:"id"`
	Type       string    `json:"type"`
	Time       time.Time `json:"time"`
	MerchantID uuid.UUID `json:"merchantid"`
	Data       struct {
		Transaction *struct {
			ID string `json:"id"`
		} `json:"transaction"`
	} `json:"data"`
}

func (d *Dispatcher) handle(ctx context.Context, m jetstream.Msg) {
	var ev event
	if err := json.Unmarshal(m.Data(), &ev); err != nil || ev.ID == uuid.Nil || ev.MerchantID == uuid.Nil || ev.Type == "" {
		d.cfg.Log.Warn("event not deliverable as a webhook; skipped", "subject", m.Subject(), "err", err)
		_ = m.Term()
		return
	}
	n, err := d.submit(ctx, ev, m.Data())
	if err != nil {
		d.cfg.Log.Warn("webhook deliveries not written; event redelivered", "merchant", ev.MerchantID, "event", ev.ID, "err", err)
		_ = m.NakWithDelay(RetryDelay)
		return
	}
	if n > 0 {
		d.cfg.Log.Debug("webhook deliveries", "merchant", ev.MerchantID, "event", ev.ID, "endpoints", n)
	}
	_ = m.Ack()
}

// queue queues the deliveries of ev on b, one per matching endpoint, and
// returns how many.
func (d *Dispatcher) queue(ctx context.Context, b *store.Batch, ev event, payload []byte) (int, error) {
	eps, err := d.cache.get(ctx, ev.MerchantID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range eps {
		if !webhook.Matches(e.EventTypes, ev.Type) || ev.Time.Before(e.CreatedAt) {
			continue
		}
		n++
		b.WebhookDeliveryInsert(store.WebhookDelivery{MerchantID: ev.MerchantID, ID: uuid.NewSHA1(e.ID, ev.ID[:]),
			EndpointID: e.ID, EventID: ev.ID, EventType: ev.Type, TransactionID: txnID(ev), Payload: payload,
			EventTime: ev.Time})
	}
	return n, nil
}

// txnID is the event's transaction id, when it has one.
func txnID(ev event) *uuid.UUID {
	if ev.Data.Transaction == nil {
		return nil
	}
	id, err := uuid.Parse(ev.Data.Transaction.ID)
	if err != nil {
		return nil
	}
	return &id
}
