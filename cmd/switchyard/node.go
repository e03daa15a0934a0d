package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/charge/settle"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/intake"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/natsauth"
	"github.com/switchyard/switchyard/orchestrator/outbox"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/timer"
	"github.com/switchyard/switchyard/orchestrator/tracing"
	"github.com/switchyard/switchyard/schema"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/executor"
	"github.com/switchyard/switchyard/workers/webhook"
)

// Roles an instance can run; "all" means these, plus auth when the auth
// role's credentials are given.
var allRoles = []string{"api", "intake", "workers", "relay", "timers", "webhooks"}

// authRole answers nats-server's auth callout (orchestrator/natsauth).
const authRole = "auth"

// nodeConfig is what an orchestrator instance needs.
type nodeConfig struct {
	DatabaseURL     string
	NATSURL         string
	NATSTLS         broker.TLS
	NATSCreds       natsCreds
	HTTPAddr        string
	AdminToken      string
	SecretKey       []byte
	Roles           []string
	OnoConnectURL   string
	ProcessOneURL   string
	OnePipeURL      string
	UtilityURL      string
	CodesURL        string
	ProviderTimeout time.Duration
	DBMaxConns      int32
	DBLockTimeout   time.Duration // 0: the store's default
	Policy          charge.Policy
	Log             *slog.Logger
	// MigrateStreams (switchyard dev) deletes a PAY_COMMANDS of an
	// older retention at start when intake has drained it, so that it is
	// recreated as a work queue; serve leaves that to the operator.
	MigrateStreams bool

	// WebhookAllowPrivate (--webhook-allow-private) lets webhook endpoints
	// be on private addresses.
	WebhookAllowPrivate bool

	// OTLPEndpoint (--otlp-endpoint) is where spans are exported over
	// OTLP/HTTP; empty: nowhere, unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
	OTLPEndpoint string
	// SpanProcessors are given every span (a test's span recorder).
	SpanProcessors []sdktrace.SpanProcessor
}

// node is a running orchestrator instance.
type node struct {
	cfg      nodeConfig
	tracing  *tracing.Provider
	store    *store.Store
	nc       *nats.Conn
	js       jetstream.JetStream
	engine   *engine.Engine
	intake   *intake.Intake
	api      *api.API
	webhooks *webhook.Dispatcher
	http     *http.Server
	httpAddr string
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	auth     *natsauth.Responder
	authNC   *nats.Conn
	sysNC    *nats.Conn
}

func (c *nodeConfig) has(role string) bool {
	for _, r := range c.Roles {
		if r == role {
			return true
		}
	}
	return false
}

func parseRoles(s string) ([]string, error) {
	if s == "" || s == "all" {
		return allRoles, nil
	}
	var out []string
	for _, r := range strings.Split(s, ",") {
		r = strings.TrimSpace(r)
		ok := r == authRole
		for _, known := range allRoles {
			ok = ok || r == known
		}
		if !ok {
			return nil, fmt.Errorf("--roles: unknown role %q (known: %s,%s)", r, strings.Join(allRoles, ","), authRole)
		}
		out = append(out, r)
	}
	return out, nil
}

// startNode migrates the schema, connects, declares the streams and starts
// the configured roles.
func startNode(ctx context.Context, cfg nodeConfig) (*node, error) {
	if _, err := schema.Migrate(ctx, cfg.DatabaseURL, cfg.Log); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	tp, err := tracing.Setup(tracing.Config{Endpoint: cfg.OTLPEndpoint, Processors: cfg.SpanProcessors})
	if err != nil {
		return nil, err
	}
	n, err := openNode(ctx, cfg)
	if err != nil {
		shutdownTracing(tp, cfg.Log)
		return nil, err
	}
	n.tracing = tp
	if tp.Exporting {
		cfg.Log.Info("exporting spans over OTLP/HTTP")
	}
	if err := n.startRoles(); err != nil {
		n.stop()
		return nil, err
	}
	return n, nil
}

// shutdownTracing flushes the spans not yet exported and stops the provider.
func shutdownTracing(tp *tracing.Provider, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := tp.Shutdown(ctx); err != nil {
		log.Warn("could not flush the last spans", "err", err)
	}
}

// openNode connects to the database and NATS, declares the streams and
// builds the engine.
func openNode(ctx context.Context, cfg nodeConfig) (*node, error) {
	st, err := store.OpenWith(ctx, cfg.DatabaseURL, store.Options{MaxConns: cfg.DBMaxConns, LockTimeout: cfg.DBLockTimeout})
	if err != nil {
		return nil, err
	}
	if cfg.has("workers") {
		if err := checkMerchantURLs(ctx, st, cfg.providerURLs()); err != nil {
			st.Close()
			return nil, err
		}
	}
	tlsOpts, err := cfg.NATSTLS.Options()
	if err != nil {
		st.Close()
		return nil, err
	}
	nc, err := broker.Connect(cfg.NATSURL, "switchyard", append(tlsOpts, userOption(cfg.NATSCreds.User, cfg.NATSCreds.Password)...)...)
	if err != nil {
		st.Close()
		return nil, err
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096))
	if err == nil {
		err = ensureStreams(ctx, js, cfg)
	}
	if err == nil {
		err = ensureMerchantConsumers(ctx, js, st)
	}
	if err != nil {
		nc.Close()
		st.Close()
		return nil, err
	}
	sealer, err := secret.NewSealer(cfg.SecretKey)
	if err != nil {
		nc.Close()
		st.Close()
		return nil, err
	}
	// Wake-ups after COMMIT go over core NATS rather than pg_notify, whose
	// database-wide lock serialises the notifying commits (store.Waker).
	st.SetWaker(broker.NewWakeups(nc))
	n := &node{cfg: cfg, store: st, nc: nc, js: js}
	n.engine = engine.New(engine.Config{Store: st, Sealer: sealer, Log: cfg.Log, Lifecycles: lifecycles(cfg)})
	if k, err := n.engine.ResealLegacy(ctx); err != nil {
		cfg.Log.Warn("could not bind legacy sealed values to their rows", "err", err)
	} else if k > 0 {
		cfg.Log.Info("bound legacy sealed values to their rows", "count", k)
	}
	metrics.Default.SetLogger(cfg.Log)
	registerGauges(st)
	return n, nil
}

// ensureStreams declares the streams, first migrating a drained
// PAY_COMMANDS of an older retention when cfg asks for it.
func ensureStreams(ctx context.Context, js jetstream.JetStream, cfg nodeConfig) error {
	if cfg.MigrateStreams {
		moved, err := broker.MigrateDrained(ctx, js, events.StreamCommands, intake.ConsumerName)
		if err != nil {
			return err // not drained: the error says so and what to do
		}
		if moved {
			cfg.Log.Info("PAY_COMMANDS was drained; deleted it to recreate it as a work queue")
		}
	}
	return broker.EnsureStreams(ctx, js)
}

func (n *node) startRoles() error {
	ctx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	log := n.cfg.Log
	if n.cfg.has("relay") {
		r := outbox.New(outbox.Config{Store: n.store, JetStream: n.js, Log: log})
		n.goRun("relay", func() error { return r.Run(ctx) })
	}
	if n.cfg.has("intake") {
		n.intake = intake.New(intake.Config{Engine: n.engine, JetStream: n.js, Log: log, TracerProvider: n.tracing})
		n.goRun("intake", func() error { return n.intake.Run(ctx) })
	}
	if n.cfg.has("workers") {
		deps := connector.Deps{Store: n.store, Sealer: n.engine.Sealer()}
		x := executor.New(executor.Config{Engine: n.engine, Log: log, TracerProvider: n.tracing,
			Connectors: connectors(deps, n.cfg), Lease: executor.LeaseFor(n.cfg.ProviderTimeout)})
		n.goRun("workers", func() error { return x.Run(ctx) })
	}
	if n.cfg.has("webhooks") {
		if err := n.startWebhooks(ctx); err != nil {
			return err
		}
	}
	if n.cfg.has("timers") {
		n.ensureCutoffTimers(ctx)
		settler := settle.NewHandler(settle.Config{Engine: n.engine, Log: log})
		t := timer.New(timer.Config{Engine: n.engine, Log: log,
			Owners: map[string]timer.Handler{store.OwnerMerchant: settler.Fire}})
		n.goRun("timers", func() error { return t.Run(ctx) })
	}
	if n.cfg.has(authRole) {
		if err := n.startAuth(ctx); err != nil {
			return err
		}
	}
	if n.cfg.has("api") {
		return n.startHTTP()
	}
	return nil
}

// ensureCutoffTimers gives every merchant without a batch cut-off timer one
// (settle.Ensure); a failure is logged, and the next start tries again.
func (n *node) ensureCutoffTimers(ctx context.Context) {
	k, err := settle.Ensure(ctx, n.store, time.Now())
	if err != nil {
		n.cfg.Log.Warn("could not set every merchant's batch cut-off timer", "err", err)
	}
	if k > 0 {
		n.cfg.Log.Info("set missing batch cut-off timers", "count", k)
	}
}

func (n *node) goRun(name string, fn func() error) {
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		if err := fn(); err != nil {
			n.cfg.Log.Error("role stopped", "role", name, "err", err)
		}
	}()
}

// Time-outs of the HTTP server, so that slow or idle clients cannot hold
// connections and goroutines for ever.
const (
	// httpReadHeaderTimeout bounds reading a request's headers.
	httpReadHeaderTimeout = 10 * time.Second
	// httpReadTimeout bounds reading a whole request, body included. Bodies
	// are small JSON documents; 15 s leaves room for a slow mobile link.
	httpReadTimeout = 15 * time.Second
	// httpWriteTimeout bounds a request from the end of its headers to the
	// end of its answer. It must exceed the longest legitimate answer:
	// Prefer: wait=30 (30 s) after the API's CommitWait (10 s) = 40 s.
	httpWriteTimeout = 60 * time.Second
	// httpIdleTimeout closes a keep-alive connection that sends nothing.
	httpIdleTimeout = 120 * time.Second
)

func (n *node) startHTTP() error {
	n.api = api.New(api.Config{Engine: n.engine, NATS: n.nc, JetStream: n.js, AdminToken: n.cfg.AdminToken, Log: n.cfg.Log,
		Ready: n.ready, WebhookAllowPrivate: n.cfg.WebhookAllowPrivate, TracerProvider: n.tracing,
		Callbacks: callbacks(connector.Deps{Store: n.store, Sealer: n.engine.Sealer()})})
	if err := n.api.Start(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", n.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("http listen %s (--http-addr): %w", n.cfg.HTTPAddr, err)
	}
	n.httpAddr = ln.Addr().String()
	n.http = &http.Server{Handler: n.api.Handler(), ReadHeaderTimeout: httpReadHeaderTimeout,
		ReadTimeout: httpReadTimeout, WriteTimeout: httpWriteTimeout, IdleTimeout: httpIdleTimeout}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		if err := n.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.cfg.Log.Error("http server stopped", "err", err)
		}
	}()
	return nil
}

// ready is the readiness of this instance's roles beyond the database and
// NATS connection /readyz checks itself: intake's consumer is in place.
func (n *node) ready(ctx context.Context) error {
	if n.intake != nil {
		if err := n.intake.Ready(ctx); err != nil {
			return err
		}
	}
	if n.webhooks != nil {
		if err := n.webhooks.Ready(ctx); err != nil {
			return fmt.Errorf("webhooks: %w", err)
		}
	}
	return nil
}

// webhookLease bounds a delivery attempt's claim: the attempt's own 10 s
// and room to commit; an instance killed mid-attempt leaves it to another
// after it, which sends again with the same webhook-id.
const webhookLease = 15 * time.Second

// startWebhooks runs the webhook dispatcher (PAY_EVENTS → one delivery per
// matching endpoint) and deliverer (signed attempts, durable retries).
func (n *node) startWebhooks(ctx context.Context) error {
	cfg := webhook.Config{Store: n.store, Sealer: n.engine.Sealer(), JetStream: n.js, Log: n.cfg.Log,
		AllowPrivate: n.cfg.WebhookAllowPrivate, Lease: webhookLease, TracerProvider: n.tracing}
	d, err := webhook.NewDispatcher(cfg)
	if err != nil {
		return err
	}
	x, err := webhook.NewDeliverer(cfg)
	if err != nil {
		return err
	}
	n.webhooks = d
	n.goRun("webhook dispatcher", func() error { return d.Run(ctx) })
	n.goRun("webhook deliverer", func() error { return x.Run(ctx) })
	return nil
}

// stop shuts every role down and closes the connections.
func (n *node) stop() {
	if n.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = n.http.Shutdown(ctx)
		cancel()
	}
	if n.api != nil {
		n.api.Stop()
	}
	if n.cancel != nil {
		n.cancel()
	}
	if n.auth != nil {
		n.auth.Stop()
	}
	n.wg.Wait()
	for _, c := range []*nats.Conn{n.authNC, n.sysNC} {
		if c != nil {
			c.Close()
		}
	}
	if n.nc != nil {
		_ = n.nc.Drain()
		n.nc.Close()
	}
	n.store.Close()
	if n.tracing != nil {
		shutdownTracing(n.tracing, n.cfg.Log)
	}
}

// registerGauges exposes the backlog an operator watches: unpublished outbox
// rows and timers already due.
func registerGauges(st *store.Store) {
	metrics.Default.Help("switchyard_commands_total", "Commands handled by intake, by outcome.")
	metrics.Default.Help("switchyard_provider_calls_total", "Provider calls, by provider, operation and outcome.")
	metrics.Default.Help(executor.MetricCommitRetries, "Provider results whose commit failed and was retried while the lease lasted.")
	metrics.Default.Help("switchyard_outbox_published_total", "Outbox rows published to JetStream.")
	metrics.Default.Help("switchyard_http_requests_total", "HTTP requests, by method and status.")
	metrics.Default.Gauge("switchyard_outbox_pending", "Outbox rows not yet published.", func(ctx context.Context) (float64, error) {
		n, err := st.OutboxPending(ctx)
		return float64(n), err
	})
	metrics.Default.Help("switchyard_outbox_dead_total", "Outbox rows moved to outbox_dead: cause=failed (cannot be published), held (behind one of its transaction).")
	metrics.Default.Gauge("switchyard_outbox_dead", "Outbox rows in outbox_dead, waiting for `switchyard outbox retry`.", func(ctx context.Context) (float64, error) {
		n, err := st.OutboxDeadCount(ctx)
		return float64(n), err
	})
	metrics.Default.Gauge("switchyard_work_pending", "Provider calls waiting for or held by a worker.", func(ctx context.Context) (float64, error) {
		n, err := st.WorkPending(ctx)
		return float64(n), err
	})
	metrics.Default.Gauge("switchyard_timers_overdue_seconds", "How late the earliest due timer is (0 when none is due).", func(ctx context.Context) (float64, error) {
		due, err := st.NextTimerDue(ctx)
		if err != nil || due.IsZero() || time.Until(due) > 0 {
			return 0, err
		}
		return time.Since(due).Seconds(), nil
	})
}
