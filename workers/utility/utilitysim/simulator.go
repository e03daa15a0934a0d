package utilitysim

import (
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"github.com/switchyard/switchyard/workers/simulator"
)

// RetryPolicy says what the simulator does with the retry of a purchase it
// never received.
type RetryPolicy string

// Retry policies.
const (
	RetryIssue   RetryPolicy = "issue"   // vend new tokens as a normal purchase would
	RetryDecline RetryPolicy = "decline" // answer 404 UNABLE_TO_LOCATE_RECORD
)

// Options configures a Simulator. Zero values take the defaults shown.
type Options struct {
	Now            func() time.Time // time.Now
	ClientID       string           // when set, X-Client-Id must equal it
	APIKey         string           // when set, X-Api-Key must equal it
	MinAmount      int64            // minor units; 500 (5.00)
	MaxAmount      int64            // minor units; 500000 (5 000.00)
	UnitPrice      decimal.Decimal  // price of one unit (kWh, kl) incl. VAT; 2.50
	VATRate        decimal.Decimal  // percent; 15
	RetryOfUnknown RetryPolicy      // RetryIssue
	Hold           time.Duration    // longest a swallowed or lost request is held; 60s
	Logger         *slog.Logger     // quiet when nil
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MinAmount <= 0 {
		o.MinAmount = 500
	}
	if o.MaxAmount <= 0 {
		o.MaxAmount = 500000
	}
	if !o.UnitPrice.IsPositive() {
		o.UnitPrice = decimal.RequireFromString("2.50")
	}
	if o.VATRate.IsNegative() || o.VATRate.IsZero() {
		o.VATRate = decimal.NewFromInt(15)
	}
	if o.RetryOfUnknown == "" {
		o.RetryOfUnknown = RetryIssue
	}
	if o.Hold <= 0 {
		o.Hold = 60 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// Simulator is an in-memory prepaid utility provider. It is safe for
// concurrent use and starts no goroutines.
type Simulator struct {
	opts    Options
	harness *simulator.Harness

	mu        sync.Mutex
	cfg       Config
	seen      map[string]int // purchase requests received per purchase id
	purchases map[string]*purchase
	receipts  int64
}

// New returns a Simulator with the test meters of TestMeters.
func New(opts Options) *Simulator {
	s := &Simulator{opts: opts.withDefaults()}
	s.reset()
	s.harness = simulator.Wrap(s.routes())
	return s
}

// Handler is the simulator's HTTP handler, wrapped with the shared fault
// harness (/_sim/faults, /_sim/requests).
func (s *Simulator) Handler() http.Handler { return s.harness }

// Harness gives tests direct access to the fault knobs and request log.
func (s *Simulator) Harness() *simulator.Harness { return s.harness }

// PurchaseCount returns how many times tokens were issued for purchaseID:
// 1 after a successful purchase, and still 1 after any number of retries.
func (s *Simulator) PurchaseCount(purchaseID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.purchases[purchaseID]; p != nil {
		return p.issued
	}
	return 0
}

// Reset forgets every purchase and restores the default configuration.
func (s *Simulator) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset()
}

func (s *Simulator) reset() {
	s.cfg = s.defaultConfig()
	s.seen = map[string]int{}
	s.purchases = map[string]*purchase{}
}

func (s *Simulator) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tokenPurchases/{purchaseId}", s.handlePurchase)
	mux.HandleFunc("POST /tokenPurchases/{purchaseId}/retry", s.handleRetry)
	mux.HandleFunc("POST /tokenPurchases/{purchaseId}/confirmations/{adviceId}", s.handleConfirm)
	mux.HandleFunc("POST /tokenPurchases/{purchaseId}/reversals/{adviceId}", s.handleReverse)
	mux.HandleFunc("GET /_sim/config", s.handleGetConfig)
	mux.HandleFunc("POST /_sim/config", s.handlePostConfig)
	mux.HandleFunc("DELETE /_sim/config", s.handleDeleteConfig)
	mux.HandleFunc("GET /_sim/purchases/{purchaseId}", s.handleGetPurchase)
	mux.HandleFunc("DELETE /_sim/purchases", s.handleDeletePurchases)
	return mux
}
