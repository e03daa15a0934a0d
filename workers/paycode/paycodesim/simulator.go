package paycodesim

import (
	"crypto/rand"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/switchyard/switchyard/workers/simulator"
)

// DefaultExpiry is how long a code lives when its expiryDate is left empty.
const DefaultExpiry = 30 * time.Minute

// Merchant is a login the simulator accepts.
type Merchant struct {
	Username string
	Password string
	Name     string // merchantName in answers
	Currency string // ISO 4217, default ZAR
	// Suspended merchants are answered 403 on every call.
	Suspended bool
	// LimitsDisabled: the account is not enabled for limit checks, so any
	// limitBasket is a validation error (440).
	LimitsDisabled bool
}

// DefaultMerchants are the simulator's test logins (see the README).
func DefaultMerchants() []Merchant {
	return []Merchant{
		{Username: "merchant1", Password: "secret1", Name: "Merchant One", Currency: "ZAR"},
		{Username: "merchant2", Password: "secret2", Name: "Merchant Two", Currency: "ZAR"},
		{Username: "suspended", Password: "secret", Name: "Suspended Merchant", Currency: "ZAR", Suspended: true},
		{Username: "nolimits", Password: "secret", Name: "No Limits Merchant", Currency: "ZAR", LimitsDisabled: true},
	}
}

// Options configures a Simulator. Zero fields take defaults.
type Options struct {
	Merchants []Merchant       // default DefaultMerchants()
	Now       func() time.Time // default time.Now
	NewCode   func() string    // default: random 10 digits
	NewID     func() string    // payment ids; default uuid
	// CallbackURL receives payment notifications (changeable by
	// POST /_sim/config).
	CallbackURL     string
	CallbackTimeout time.Duration // default 5s
	HTTPClient      *http.Client  // for callbacks; default a new client
	Logger          *slog.Logger  // default discard
}

func (o Options) withDefaults() Options {
	if o.Merchants == nil {
		o.Merchants = DefaultMerchants()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewCode == nil {
		o.NewCode = randomCode
	}
	if o.NewID == nil {
		o.NewID = uuid.NewString
	}
	if o.CallbackTimeout <= 0 {
		o.CallbackTimeout = 5 * time.Second
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// Simulator is an in-memory payment-codes provider.
type Simulator struct {
	opts    Options
	harness *simulator.Harness

	mu        sync.Mutex
	merchants map[string]Merchant
	codes     map[string]*codeState
	callback  string                     // simulator-wide callback URL
	accounts  map[string]AccountCallback // per-account callbacks, by username
	offset    time.Duration              // POST /_sim/clock
	seq       int64                      // payment RRNs
}

// New returns a Simulator; its Handler is wrapped with the shared
// fault harness.
func New(opts Options) *Simulator {
	opts = opts.withDefaults()
	s := &Simulator{opts: opts, merchants: map[string]Merchant{}, codes: map[string]*codeState{}, callback: opts.CallbackURL,
		accounts: map[string]AccountCallback{}}
	for _, m := range opts.Merchants {
		if m.Currency == "" {
			m.Currency = "ZAR"
		}
		s.merchants[m.Username] = m
	}
	s.harness = simulator.Wrap(s.routes())
	return s
}

// Handler is the simulator's HTTP handler (fault knobs included).
func (s *Simulator) Handler() http.Handler { return s.harness }

// Harness gives tests direct access to the fault knobs and request log.
func (s *Simulator) Harness() *simulator.Harness { return s.harness }

func (s *Simulator) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /code/create", s.handleCreate)
	mux.HandleFunc("GET /code/{code}", s.handleGet)
	mux.HandleFunc("PUT /code/{code}", s.handleUpdate)
	mux.HandleFunc("DELETE /code/{code}", s.handleDelete)
	mux.HandleFunc("PUT /code/{code}/block", s.handleBlock(true))
	mux.HandleFunc("PUT /code/{code}/unblock", s.handleBlock(false))
	mux.HandleFunc("PUT /code/{code}/amount", s.handleAmount)
	mux.HandleFunc("POST /_sim/pay", s.handlePay)
	mux.HandleFunc("POST /_sim/config", s.handleConfigSet)
	mux.HandleFunc("GET /_sim/config", s.handleConfigGet)
	mux.HandleFunc("GET /_sim/codes", s.handleCodes)
	mux.HandleFunc("POST /_sim/clock", s.handleClock)
	return mux
}

// now is the injected clock plus the /_sim/clock offset. Callers hold s.mu.
func (s *Simulator) now() time.Time { return s.opts.Now().Add(s.offset) }

func randomCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(9_000_000_000))
	if err != nil {
		panic(err)
	}
	return n.Add(n, big.NewInt(1_000_000_000)).String()
}
