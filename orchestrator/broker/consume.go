package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/orchestrator/metrics"
)

// ErrConsumerLost is what Pool.Ready answers while its durable consumer is
// gone (deleted, or its stream deleted) and not yet recreated.
var ErrConsumerLost = errors.New("lost")

// PoolConfig configures a Pool.
type PoolConfig struct {
	Stream      string
	Consumer    jetstream.ConsumerConfig // a durable consumer
	Concurrency int                      // messages handled at once (default 1)
	Handle      func(context.Context, jetstream.Msg)
	Log         *slog.Logger
	// CheckEvery is how often the consumer is also looked up, in case a loss
	// went unreported (default 5s).
	CheckEvery time.Duration
	// RetryEvery is the wait between attempts to recreate a lost consumer
	// (default 1s).
	RetryEvery time.Duration
}

// Pool consumes a durable consumer with a bounded number of handlers and
// keeps the consumer alive: when it is lost (deleted, or its stream deleted
// and maybe recreated) the pool notices, logs, counts
// switchyard_consumer_lost_total{consumer} and recreates the consumer (and
// the streams, with EnsureStreams, when the stream is gone), retrying until
// it can. Ready says whether the consumer is in place.
type Pool struct {
	js  jetstream.JetStream
	cfg PoolConfig

	mu   sync.Mutex
	lost error // nil while the consumer is in place
}

// NewPool returns a Pool; Run starts it.
func NewPool(js jetstream.JetStream, cfg PoolConfig) *Pool {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 1
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.CheckEvery <= 0 {
		cfg.CheckEvery = 5 * time.Second
	}
	if cfg.RetryEvery <= 0 {
		cfg.RetryEvery = time.Second
	}
	metrics.Default.Help("switchyard_consumer_lost_total", "Durable JetStream consumers found lost (deleted, or their stream deleted) and recreated.")
	p := &Pool{js: js, cfg: cfg}
	p.lost = fmt.Errorf("consumer %s on %s: not created yet", cfg.Consumer.Durable, cfg.Stream)
	return p
}

// Ready is nil while the consumer is in place, else a short reason.
func (p *Pool) Ready() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lost
}

func (p *Pool) setLost(err error) {
	p.mu.Lock()
	p.lost = err
	p.mu.Unlock()
}

// Run consumes until ctx ends, recreating the consumer whenever it is lost;
// then it stops pulling and waits for the handlers in flight.
func (p *Pool) Run(ctx context.Context) error {
	sem := make(chan struct{}, p.cfg.Concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	for ctx.Err() == nil {
		cons, err := p.ensure(ctx)
		if err != nil {
			p.cfg.Log.Error("cannot create consumer; retrying", "consumer", p.cfg.Consumer.Durable, "stream", p.cfg.Stream, "err", err)
			sleep(ctx, p.cfg.RetryEvery)
			continue
		}
		cause := p.consume(ctx, cons, sem, &wg)
		if cause == nil {
			return nil // ctx ended
		}
		p.markLost(cause)
	}
	return nil
}

// markLost records a lost consumer: readiness, log line and metric.
func (p *Pool) markLost(cause error) {
	name := p.cfg.Consumer.Durable
	p.setLost(fmt.Errorf("consumer %s on %s is %w; recreating it", name, p.cfg.Stream, ErrConsumerLost))
	metrics.Default.Inc("switchyard_consumer_lost_total", "consumer", name)
	p.cfg.Log.Error("consumer lost; recreating it", "consumer", name, "stream", p.cfg.Stream, "cause", cause)
}

// ensure creates or updates the consumer, and the streams first when the
// stream is gone.
func (p *Pool) ensure(ctx context.Context) (jetstream.Consumer, error) {
	cons, err := p.js.CreateOrUpdateConsumer(ctx, p.cfg.Stream, p.cfg.Consumer)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		if err := EnsureStreams(ctx, p.js); err != nil {
			return nil, err
		}
		cons, err = p.js.CreateOrUpdateConsumer(ctx, p.cfg.Stream, p.cfg.Consumer)
	}
	if err != nil {
		return nil, fmt.Errorf("consumer %s on %s: %w", p.cfg.Consumer.Durable, p.cfg.Stream, err)
	}
	if p.Ready() != nil {
		p.cfg.Log.Info("consumer in place", "consumer", p.cfg.Consumer.Durable, "stream", p.cfg.Stream)
	}
	p.setLost(nil)
	return cons, nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// consume pulls from cons until ctx ends (nil) or the consumer is lost (the
// cause).
func (p *Pool) consume(ctx context.Context, cons jetstream.Consumer, sem chan struct{}, wg *sync.WaitGroup) error {
	lost := make(chan error, 1)
	probe := make(chan struct{}, 1)
	cc, err := cons.Consume(func(m jetstream.Msg) {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			p.cfg.Handle(ctx, m)
		}()
	}, jetstream.PullMaxMessages(p.cfg.Concurrency*2), jetstream.ConsumeErrHandler(p.onError(lost, probe)))
	if err != nil {
		return fmt.Errorf("consume %s: %w", p.cfg.Consumer.Durable, err)
	}
	defer cc.Stop()
	return p.watch(ctx, cons, lost, probe)
}

// onError sorts Consume's errors: a deleted consumer is lost at once; a
// missed heartbeat or no responder may be one, so the consumer is looked up.
func (p *Pool) onError(lost chan<- error, probe chan<- struct{}) jetstream.ConsumeErrHandlerFunc {
	return func(_ jetstream.ConsumeContext, err error) {
		switch {
		case errors.Is(err, jetstream.ErrConsumerDeleted), errors.Is(err, jetstream.ErrConsumerNotFound):
			select {
			case lost <- err:
			default:
			}
		case errors.Is(err, jetstream.ErrNoHeartbeat), errors.Is(err, nats.ErrNoResponders):
			select {
			case probe <- struct{}{}:
			default:
			}
		default:
			p.cfg.Log.Debug("consume", "consumer", p.cfg.Consumer.Durable, "err", err)
		}
	}
}

// watch waits for ctx to end (nil) or the consumer to be lost (the cause),
// looking the consumer up every CheckEvery and when asked on probe.
func (p *Pool) watch(ctx context.Context, cons jetstream.Consumer, lost <-chan error, probe <-chan struct{}) error {
	tick := time.NewTicker(p.cfg.CheckEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-lost:
			return err
		case <-tick.C:
		case <-probe:
		}
		if err := p.check(ctx, cons); err != nil {
			return err
		}
	}
}

// check looks the consumer up: an error only when it or its stream is gone.
func (p *Pool) check(ctx context.Context, cons jetstream.Consumer) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := cons.Info(ctx)
	if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrStreamNotFound) {
		return err
	}
	if err != nil && ctx.Err() == nil {
		p.cfg.Log.Debug("consumer lookup failed", "consumer", p.cfg.Consumer.Durable, "err", err)
	}
	return nil
}
