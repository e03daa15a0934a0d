package api

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/trace"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Config configures the API.
type Config struct {
	Engine     *engine.Engine
	NATS       *nats.Conn
	JetStream  jetstream.JetStream
	AdminToken string
	Log        *slog.Logger
	// CommitWait bounds how long a command waits for intake to commit it
	// before the API answers 202 with what it knows (default 10s).
	CommitWait time.Duration
	// KeyCacheTTL bounds how long a checked API key is trusted without
	// looking at the database again, should a rotation or revocation
	// notification be missed (default 30s).
	KeyCacheTTL time.Duration
	// WebhookAllowPrivate lets webhook endpoints be registered on private,
	// loopback and link-local addresses (--webhook-allow-private); by
	// default such URLs are refused.
	WebhookAllowPrivate bool
	// Ready, when set, is asked by /readyz after the database and NATS
	// checks; a non-nil error makes /readyz answer 503 with the error's
	// text as the reason, so it must be a short reason (e.g. "intake:
	// consumer lost"), never a raw driver error.
	Ready func(context.Context) error
	// Callbacks are the providers' callback handlers by provider name
	// (POST /v1/provider-callbacks/{provider}); see ProviderCallback.
	Callbacks map[string]ProviderCallback
	// TracerProvider makes each request's span, the child of the
	// request's traceparent (default: no spans of its own).
	TracerProvider trace.TracerProvider
}

// API serves HTTP.
type API struct {
	cfg      Config
	waiters  *waiters
	keys     *keyCache
	inflight sync.Map // merchant/key → struct{}
	sub      *nats.Subscription
	stop     context.CancelFunc // ends the API key listener
	done     sync.WaitGroup
}

// New returns an API.
func New(cfg Config) *API {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.CommitWait <= 0 {
		cfg.CommitWait = 10 * time.Second
	}
	if cfg.KeyCacheTTL <= 0 {
		cfg.KeyCacheTTL = 30 * time.Second
	}
	return &API{cfg: cfg, waiters: newWaiters(), keys: newKeyCache(cfg.KeyCacheTTL)}
}

// Start subscribes to events so that waiting requests wake up at once, and
// listens for API key rotations and revocations.
func (a *API) Start() error {
	ctx, cancel := context.WithCancel(context.Background())
	a.stop = cancel
	a.done.Go(func() { a.cfg.Engine.Store().ListenAPIKeys(ctx, a.keys.clear, a.cfg.Log) })
	sub, err := a.cfg.NATS.Subscribe(events.EventRoot+".>", func(m *nats.Msg) {
		if a.waiters.empty() {
			return // nobody is waiting: no need to read the event
		}
		var ev struct {
			Subject     string `json:"subject"`
			CausationID string `json:"causationid"`
			MerchantID  string `json:"merchantid"`
		}
		if json.Unmarshal(m.Data, &ev) == nil {
			a.waiters.wake(ev.Subject)
			a.waiters.wake(ev.MerchantID + "/" + ev.CausationID)
		}
	})
	if err != nil {
		return err
	}
	a.sub = sub
	return nil
}

// Stop unsubscribes and stops listening.
func (a *API) Stop() {
	if a.sub != nil {
		_ = a.sub.Unsubscribe()
	}
	if a.stop != nil {
		a.stop()
		a.done.Wait()
	}
}

// Handler routes every endpoint.
func (a *API) Handler() http.Handler {
	return traceRequests(a.cfg.TracerProvider, logRequests(a.cfg.Log, problemRoutes(a.routes().ServeMux)))
}

// Patterns lists the route patterns the API serves ("GET /v1/transactions/{id}").
func (a *API) Patterns() []string { return a.routes().patterns }

func (a *API) routes() *routeMux {
	mux := &routeMux{ServeMux: http.NewServeMux()}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.Handle("GET /metrics", metrics.Default.Handler())
	mux.HandleFunc("GET /openapi.yaml", serveOpenAPI)
	mux.HandleFunc("POST /v1/admin/merchants", a.admin(a.createMerchant))
	mux.HandleFunc("POST /v1/admin/merchants/{id}/api-keys", a.admin(a.rotateKey))
	mux.HandleFunc("DELETE /v1/admin/merchants/{id}/api-keys/{prefix}", a.admin(a.revokeKey))
	mux.HandleFunc("PATCH /v1/admin/merchants/{id}/settlement", a.admin(a.setSettlement))
	for _, rt := range a.cfg.Engine.Lifecycles().Routes() {
		mux.HandleFunc(rt.Pattern, a.merchant(a.command(rt)))
	}
	for _, v := range a.cfg.Engine.Lifecycles().Views() {
		mux.HandleFunc(v.Pattern, a.merchant(a.view(v)))
	}
	mux.HandleFunc("GET /v1/transactions", a.merchant(a.searchTransactions))
	mux.HandleFunc("POST /v1/provider-callbacks/{provider}", a.providerCallback)
	mux.HandleFunc("GET /v1/transactions/{id}", a.merchant(a.getTransaction))
	mux.HandleFunc("GET /v1/transactions/{id}/events", a.merchant(a.getEvents))
	mux.HandleFunc("GET /v1/transactions/{id}/timeline", a.merchant(a.getTimeline))
	mux.HandleFunc("PATCH /v1/transactions/{id}/metadata", a.merchant(a.patchMetadata))
	a.webhookEndpointRoutes(mux)
	mux.HandleFunc("GET /v1/webhook-deliveries", a.merchant(a.listDeliveries))
	mux.HandleFunc("POST /v1/webhook-deliveries/{id}/retry", a.merchant(a.retryDelivery))
	mux.HandleFunc("POST /v1/webhook-endpoints/{id}/replay", a.merchant(a.replayEndpoint))
	return mux
}

func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.cfg.Engine.Store().Pool.Ping(ctx); err != nil {
		a.cfg.Log.Warn("readyz: database ping failed", "err", err)
		problem(w, http.StatusServiceUnavailable, "unavailable", "", "database unavailable")
		return
	}
	if !a.cfg.NATS.IsConnected() {
		problem(w, http.StatusServiceUnavailable, "unavailable", "", "nats: not connected")
		return
	}
	if a.cfg.Ready != nil {
		if err := a.cfg.Ready(ctx); err != nil {
			problem(w, http.StatusServiceUnavailable, "unavailable", "", err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

type merchantHandler func(w http.ResponseWriter, r *http.Request, merchantID uuid.UUID)

// merchant authenticates a merchant's API key.
func (a *API) merchant(h merchantHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, ok := bearer(r)
		if !ok {
			problem(w, http.StatusUnauthorized, events.ReasonUnauthorized, "Authorization", "send Authorization: Bearer <API key>")
			return
		}
		id, err := a.authenticate(r.Context(), key)
		if errors.Is(err, store.ErrNotFound) {
			problem(w, http.StatusUnauthorized, events.ReasonUnauthorized, "Authorization", "unknown, revoked or expired API key")
			return
		}
		if err != nil {
			a.internal(w, err)
			return
		}
		h(w, r, id)
	}
}

func (a *API) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearer(r)
		if a.cfg.AdminToken == "" || !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(a.cfg.AdminToken)) != 1 {
			problem(w, http.StatusUnauthorized, events.ReasonUnauthorized, "Authorization", "admin token required")
			return
		}
		h(w, r)
	}
}

func bearer(r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	tok = strings.TrimSpace(tok)
	return tok, ok && tok != ""
}

func (a *API) internal(w http.ResponseWriter, err error) {
	a.cfg.Log.Error("request failed", "err", err)
	problem(w, http.StatusServiceUnavailable, "unavailable", "", "temporarily unavailable; retry with the same Idempotency-Key")
}

func (a *API) createMerchant(w http.ResponseWriter, r *http.Request) {
	var spec merchant.Spec
	if err := decodeBody(r, &spec); err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	created, err := merchant.Create(r.Context(), a.cfg.Engine.Store(), a.cfg.Engine.Sealer(), spec)
	var fe *events.FieldError
	if errors.As(err, &fe) {
		problem(w, http.StatusBadRequest, events.ReasonInvalidRequest, fe.Field, fe.Message)
		return
	}
	if err != nil {
		a.internal(w, err)
		return
	}
	// The merchant reads its events over NATS through this consumer; should
	// it fail, every instance creates missing ones when it starts.
	if a.cfg.JetStream != nil {
		if err := broker.EnsureMerchantConsumer(r.Context(), a.cfg.JetStream, created.ID); err != nil {
			a.cfg.Log.Error("merchant created without its NATS consumer", "merchant_id", created.ID, "err", err)
		}
	}
	writeJSON(w, http.StatusCreated, created)
}

func (a *API) getTransaction(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such transaction")
		return
	}
	t, err := a.cfg.Engine.Store().TransactionGet(r.Context(), mid, id)
	if errors.Is(err, store.ErrNotFound) {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such transaction")
		return
	}
	if err != nil {
		a.internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, a.cfg.Engine.Resource(t))
}

func (a *API) getEvents(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such transaction")
		return
	}
	if _, err := a.cfg.Engine.Store().TransactionGet(r.Context(), mid, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such transaction")
			return
		}
		a.internal(w, err)
		return
	}
	evs, err := a.cfg.Engine.Store().TransactionEvents(r.Context(), mid, id)
	if err != nil {
		a.internal(w, err)
		return
	}
	out := make([]json.RawMessage, len(evs))
	for i, e := range evs {
		out[i] = e.Envelope
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": out})
}

func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		next.ServeHTTP(sw, r)
		metrics.Default.Inc("switchyard_http_requests_total", "method", methodLabel(r.Method), "code", strconv.Itoa(sw.status))
		spanStatus(r.Context(), sw.status)
		log.DebugContext(r.Context(), "http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "took", time.Since(start))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }
