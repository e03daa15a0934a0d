package webhook

import (
	"errors"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/trace"

	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Defaults.
const (
	// AttemptTimeout bounds a whole attempt: connect, request, answer.
	AttemptTimeout = 10 * time.Second
	// DisableAfter is how long an endpoint may fail without a success
	// before it is disabled.
	DisableAfter = 5 * 24 * time.Hour
	// ResponseHeadBytes is how much of an answer is kept.
	ResponseHeadBytes = 1024
	// UserAgent is sent with every attempt.
	UserAgent = "Switchyard-Webhooks/1"
)

// Config configures the Dispatcher and the Deliverer.
type Config struct {
	Store     *store.Store
	Sealer    *secret.Sealer
	JetStream jetstream.JetStream // the Dispatcher's
	Log       *slog.Logger
	// AllowPrivate lifts the SSRF guard (--webhook-allow-private).
	AllowPrivate bool
	// Schedule is the retry schedule (default Schedule).
	Schedule []time.Duration
	// DisableAfter (default DisableAfter).
	DisableAfter time.Duration
	// AttemptTimeout (default AttemptTimeout).
	AttemptTimeout time.Duration
	// Concurrency is the attempts in flight at once over all endpoints
	// (default 64).
	Concurrency int
	// Lease is a claim's lease (default AttemptTimeout + 50 s): an
	// instance that dies mid-attempt leaves the item to another after it.
	Lease time.Duration
	// PollEvery is the fallback claim interval when no wake-up comes
	// (default 1 s).
	PollEvery time.Duration
	// CacheFor is how long the Dispatcher keeps a merchant's endpoint list
	// (default 1 s; negative: no cache).
	CacheFor time.Duration
	// DispatchConcurrency is the events handled at once (default MaxBatch; their
	// deliveries are written in batches of up to MaxBatch).
	DispatchConcurrency int
	// Holder is the claims' holder id (0: none; see store.WorkClaim).
	Holder int32
	// Now is the clock (default time.Now).
	Now func() time.Time
	// TracerProvider makes each attempt's span "webhook <event type>",
	// continuing the event's trace (default: no spans of its own).
	TracerProvider trace.TracerProvider
}

// WithDefaults fills the zero fields.
func (c Config) WithDefaults() Config {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if len(c.Schedule) == 0 {
		c.Schedule = Schedule
	}
	if c.DisableAfter <= 0 {
		c.DisableAfter = DisableAfter
	}
	if c.AttemptTimeout <= 0 {
		c.AttemptTimeout = AttemptTimeout
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 64
	}
	if c.Lease <= 0 {
		c.Lease = c.AttemptTimeout + 50*time.Second
	}
	if c.PollEvery <= 0 {
		c.PollEvery = time.Second
	}
	if c.CacheFor == 0 {
		c.CacheFor = time.Second
	}
	if c.DispatchConcurrency <= 0 {
		c.DispatchConcurrency = MaxBatch
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

func (c Config) validate() error {
	if c.Store == nil {
		return errors.New("webhook: Config.Store is required")
	}
	if c.Lease <= c.AttemptTimeout {
		return errors.New("webhook: Config.Lease must exceed AttemptTimeout")
	}
	return nil
}
