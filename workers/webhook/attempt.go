package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/tracing"
	"github.com/switchyard/switchyard/orchestrator/webhook"
)

// attempt makes one attempt of claim c and records its outcome.
func (d *Deliverer) attempt(ctx context.Context, c store.WebhookClaim) {
	log := d.cfg.Log.With("merchant", c.MerchantID, "endpoint", c.EndpointID)
	w, err := store.ParseWebhookWork(c.WorkItem)
	if err != nil {
		log.Error("webhook work item unreadable; dropped", "work_item", c.ID, "err", err)
		_ = d.cfg.Store.WorkDone(ctx, c.WorkItem)
		return
	}
	log = log.With("delivery", w.DeliveryID)
	t, err := d.cfg.Store.WebhookTargetGet(ctx, c.MerchantID, w.DeliveryID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.Delivery.Status != store.DeliveryPending) {
		_ = d.cfg.Store.WorkDone(ctx, c.WorkItem) // nothing (more) to deliver
		return
	}
	if err != nil {
		log.Warn("webhook delivery unreadable; retried after its lease", "err", err)
		return
	}
	log = log.With("event", t.Delivery.EventID)
	if t.Delivery.TransactionID != nil {
		log = log.With("transaction", *t.Delivery.TransactionID)
	}
	ctx, span := d.startSpan(ctx, t)
	defer span.End()
	o, ok := d.outcomeOf(ctx, t, log)
	if !ok {
		return
	}
	if err := d.record(ctx, c, t, o); err != nil {
		if !errors.Is(err, store.ErrLeaseLost) && ctx.Err() == nil {
			log.WarnContext(ctx, "webhook attempt not recorded; made again after its lease", "err", err)
		}
		return
	}
	d.logOutcome(ctx, log, o)
}

// startSpan starts the attempt's span, the child of the traceparent of the
// event it delivers.
func (d *Deliverer) startSpan(ctx context.Context, t *store.WebhookTarget) (context.Context, trace.Span) {
	ctx = tracing.WithTraceParent(ctx, tracing.FromEnvelope(t.Delivery.Payload))
	return d.tracer.Start(ctx, "webhook "+t.Delivery.EventType, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.Int("switchyard.attempt", t.Delivery.Attempts+1)))
}

// outcomeOf makes the attempt (unless the endpoint takes none) and decides;
// ok is false when nothing is to be recorded (the instance is stopping, or
// the secret cannot be opened).
func (d *Deliverer) outcomeOf(ctx context.Context, t *store.WebhookTarget, log *slog.Logger) (outcome, bool) {
	if why := unusable(t.Endpoint); why != "" {
		return skipped(t, why), true
	}
	now := d.cfg.Now()
	keys, err := d.keys(t.Endpoint, now)
	if err != nil {
		log.ErrorContext(ctx, "webhook endpoint secret cannot be opened; retried after the lease", "err", err)
		return outcome{}, false
	}
	actx, cancel := context.WithTimeout(ctx, d.cfg.AttemptTimeout)
	defer cancel()
	r := send(actx, d.client, t.Endpoint.URL, keys, t.Delivery.EventID.String(), t.Delivery.Payload, now)
	if ctx.Err() != nil {
		return outcome{}, false
	}
	return decide(t, r, d.cfg.Now(), policy{Schedule: d.cfg.Schedule, DisableAfter: d.cfg.DisableAfter, Rand: jitterRand}), true
}

// keys opens the endpoint's current secret and, while its overlap lasts,
// the previous one.
func (d *Deliverer) keys(e store.WebhookEndpoint, now time.Time) ([][]byte, error) {
	aad := secret.WebhookEndpointSecretAAD(e.MerchantID.String(), e.ID.String())
	sealed := [][]byte{e.SecretSealed}
	if len(e.PreviousSecretSealed) > 0 && e.PreviousSecretExpiresAt != nil && now.Before(*e.PreviousSecretExpiresAt) {
		sealed = append(sealed, e.PreviousSecretSealed)
	}
	keys := make([][]byte, 0, len(sealed))
	for _, s := range sealed {
		plain, err := d.cfg.Sealer.Open(s, aad)
		if err != nil {
			return nil, fmt.Errorf("open secret: %w", err)
		}
		key, err := webhook.SecretKey(string(plain))
		if err != nil {
			return nil, err
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// record writes outcome o of claim c in one transaction fenced by the
// claim: ErrLeaseLost (nothing written) when the item is no longer c's.
func (d *Deliverer) record(ctx context.Context, c store.WebhookClaim, t *store.WebhookTarget, o outcome) error {
	var b store.Batch
	if o.RetryIn != nil {
		b.WorkRetryIn(c.WorkItem, *o.RetryIn)
	} else {
		b.WorkFinish(c.WorkItem)
	}
	if o.Attempt != nil {
		b.WebhookAttemptInsert(*o.Attempt)
	}
	b.WebhookDeliveryUpdate(o.Delivery, o.RetryIn)
	switch {
	case o.Healthy:
		b.WebhookEndpointHealthy(t.Endpoint.MerchantID, t.Endpoint.ID)
	case o.Failing:
		b.WebhookEndpointFailing(t.Endpoint.MerchantID, t.Endpoint.ID, d.cfg.Now())
	}
	if o.Disable != "" {
		row, err := disabledRow(t.Endpoint, o.Disable, d.cfg.Now())
		if err != nil {
			return err
		}
		b.WebhookEndpointDisable(t.Endpoint.MerchantID, t.Endpoint.ID, o.Disable, row)
	}
	return d.cfg.Store.InTx(ctx, func(tx pgx.Tx) error { return b.Send(ctx, tx) })
}

// logOutcome logs and counts a recorded outcome.
func (d *Deliverer) logOutcome(ctx context.Context, log *slog.Logger, o outcome) {
	kind := o.Delivery.Status
	switch {
	case o.Attempt == nil:
		kind = "skipped"
	case o.RetryIn != nil:
		kind = "retry"
	}
	metrics.Default.Inc("switchyard_webhook_attempts_total", "outcome", kind)
	args := []any{"outcome", kind, "attempt", o.Delivery.Attempts, "error", o.Delivery.LastError}
	if o.Attempt != nil && o.Attempt.StatusCode != nil {
		args = append(args, "status", *o.Attempt.StatusCode, "latency_ms", o.Attempt.LatencyMS)
	}
	if o.Disable != "" {
		log.WarnContext(ctx, "webhook endpoint disabled", append(args, "reason", o.Disable)...)
		return
	}
	log.DebugContext(ctx, "webhook attempt", args...)
}
