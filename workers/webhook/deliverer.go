package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/tracing"
)

// Deliverer makes the attempts of webhook deliveries.
type Deliverer struct {
	cfg    Config
	tracer trace.Tracer
	client *http.Client
	lim    *limiter
	sem    chan struct{}
	freed  chan struct{}
	wg     sync.WaitGroup
}

// NewDeliverer returns a Deliverer; Run starts it.
func NewDeliverer(cfg Config) (*Deliverer, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Sealer == nil {
		return nil, errors.New("webhook: Config.Sealer is required")
	}
	metrics.Default.Help("switchyard_webhook_attempts_total", "Webhook delivery attempts by outcome (delivered, retry, failed, skipped).")
	return &Deliverer{cfg: cfg, tracer: tracing.Tracer(cfg.TracerProvider), client: newClient(cfg.AllowPrivate, cfg.AttemptTimeout), lim: newLimiter(),
		sem: make(chan struct{}, cfg.Concurrency), freed: make(chan struct{}, 1)}, nil
}

// Run claims and attempts deliveries until ctx ends, then waits for the
// attempts in flight (an attempt cut short writes nothing: its lease runs
// out and it is made again).
func (d *Deliverer) Run(ctx context.Context) error {
	defer d.wg.Wait()
	wake := make(chan struct{}, 1)
	go d.cfg.Store.Listen(ctx, store.WorkChannel, wake, d.cfg.Log)
	for ctx.Err() == nil {
		full, err := d.claimAndStart(ctx)
		if err != nil && ctx.Err() == nil {
			d.cfg.Log.Warn("webhook claim failed", "err", err)
		}
		if full {
			continue // there may be more
		}
		d.wait(ctx, wake)
	}
	return nil
}

// wait returns on a wake-up, a freed slot, PollEvery, or the end of ctx.
func (d *Deliverer) wait(ctx context.Context, wake <-chan struct{}) {
	t := time.NewTimer(d.cfg.PollEvery)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-wake:
	case <-d.freed:
	case <-t.C:
	}
}

// claimAndStart claims what the free slots and the endpoints' limits allow
// and starts an attempt for each; full says the claim took all it asked for.
func (d *Deliverer) claimAndStart(ctx context.Context) (full bool, err error) {
	free := cap(d.sem) - len(d.sem)
	if free == 0 {
		return false, nil
	}
	claims, err := d.cfg.Store.WebhookWorkClaim(ctx, free, d.cfg.Lease, d.cfg.Holder, d.lim.room(time.Now()))
	if err != nil {
		return false, fmt.Errorf("claim: %w", err)
	}
	for _, c := range claims {
		d.sem <- struct{}{}
		d.lim.start(c.EndpointID, c.MaxInFlight, c.RatePerSecond, time.Now())
		d.wg.Add(1)
		go func() {
			defer d.finish(c)
			d.attempt(ctx, c)
		}()
	}
	return len(claims) == free, nil
}

// finish frees an attempt's slot and endpoint limit.
func (d *Deliverer) finish(c store.WebhookClaim) {
	d.lim.done(c.EndpointID)
	<-d.sem
	d.wg.Done()
	select {
	case d.freed <- struct{}{}:
	default:
	}
}
