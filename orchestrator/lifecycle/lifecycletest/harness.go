package lifecycletest

import (
	"crypto/rand"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/timer"
	"github.com/switchyard/switchyard/schema/schematest"
	"github.com/switchyard/switchyard/workers/connector"
)

// Harness runs lifecycles against their own database, with a fake clock and
// scripted connectors. Its methods fail the test on any unexpected error.
type Harness struct {
	t        testing.TB
	Store    *store.Store
	Engine   *engine.Engine
	Sealer   *secret.Sealer
	Clock    *Clock
	Merchant uuid.UUID // the merchant commands are sent for, unless said otherwise

	log    *slog.Logger
	timers *timer.Service

	mu      sync.Mutex
	scripts map[opKey]*Script
	rules   map[opKey]connector.Recovery // taken from real connectors (Rules)
	calls   []Call
	nextCmd int
}

// New returns a harness running ls, with one merchant (Merchant) created
// with the default confirm deadline.
func New(t testing.TB, ls ...lifecycle.Lifecycle) *Harness {
	t.Helper()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 16)
	if err != nil {
		t.Fatalf("lifecycletest: open store: %v", err)
	}
	t.Cleanup(st.Close)
	h := &Harness{t: t, Store: st, Sealer: newSealer(t), Clock: NewClock(Start),
		log:     slog.New(slog.NewTextHandler(logWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		scripts: map[opKey]*Script{}, rules: map[opKey]connector.Recovery{}}
	h.Engine = engine.New(engine.Config{Store: st, Sealer: h.Sealer, Log: h.log, Now: h.Clock.Now,
		Lifecycles: lifecycle.NewRegistry(ls...)})
	h.timers = timer.New(timer.Config{Engine: h.Engine, Log: h.log, Now: h.Clock.Now, Batch: timerBatch})
	h.Merchant = h.NewMerchant(merchant.Spec{Name: "Harness Shop"})
	t.Cleanup(h.expectAnswersUsed)
	return h
}

// NewMerchant creates a merchant and returns its id.
func (h *Harness) NewMerchant(spec merchant.Spec) uuid.UUID {
	h.t.Helper()
	created, err := merchant.Create(h.t.Context(), h.Store, h.Sealer, spec)
	if err != nil {
		h.t.Fatalf("lifecycletest: create merchant: %v", err)
	}
	return uuid.MustParse(created.ID)
}

// Now returns the fake clock's time.
func (h *Harness) Now() time.Time { return h.Clock.Now() }

// Advance moves the fake clock forward by d. Timers that come due fire only
// when FireTimers is called.
func (h *Harness) Advance(d time.Duration) { h.Clock.Advance(d) }

func newSealer(t testing.TB) *secret.Sealer {
	key := make([]byte, secret.KeySize)
	_, _ = rand.Read(key)
	s, err := secret.NewSealer(key)
	if err != nil {
		t.Fatalf("lifecycletest: sealer: %v", err)
	}
	return s
}

// logWriter sends the engine's, executor's and timer service's warnings to
// the test's log.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
