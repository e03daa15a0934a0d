package onepipesim

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/switchyard/switchyard/workers/simulator"
)

// Defaults of the simulator.
const (
	DefaultSimAPIKey   = "sim-onepipe-key"
	DefaultSimSecret   = "sim-onepipe-secret"
	DefaultSimOTP      = "123456"
	DefaultTokenTTL    = 30 * 24 * time.Hour
	DefaultHoldTTL     = 7 * 24 * time.Hour
	DefaultSimProvider = "Beeceptor"
)

// Options configures a Simulator. Zero fields take the defaults above.
type Options struct {
	APIKey        string
	Secret        string
	OTP           string // the only OTP (and validation answer) accepted
	TokenTTL      time.Duration
	HoldTTL       time.Duration
	ConsentStatus Status // WaitingForOTP (default) or PendingValidation
	OTPOverride   bool   // consent answers Successful at once
	Provider      string // data.provider
	Now           func() time.Time
	NewID         func() string // default: a counter, deterministic
}

func (o Options) withDefaults() Options {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.APIKey, DefaultSimAPIKey)
	def(&o.Secret, DefaultSimSecret)
	def(&o.OTP, DefaultSimOTP)
	def(&o.Provider, DefaultSimProvider)
	if o.TokenTTL <= 0 {
		o.TokenTTL = DefaultTokenTTL
	}
	if o.HoldTTL <= 0 {
		o.HoldTTL = DefaultHoldTTL
	}
	if o.ConsentStatus == "" {
		o.ConsentStatus = StatusWaitingForOTP
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Simulator is an in-memory OnePipe.
type Simulator struct {
	mu      sync.Mutex
	opts    Options // mutable knobs are changed under mu via /_sim/config
	offset  time.Duration
	seq     int64
	txns    map[string]*simTxn
	tokens  map[string]*simToken
	replies map[string]simReply // by request_ref
	harness *simulator.Harness
}

// New returns a simulator with opts.
func New(opts Options) *Simulator {
	s := &Simulator{
		opts:    opts.withDefaults(),
		txns:    map[string]*simTxn{},
		tokens:  map[string]*simToken{},
		replies: map[string]simReply{},
	}
	s.harness = simulator.Wrap(http.HandlerFunc(s.serve))
	return s
}

// Handler is the simulator wrapped with the shared fault knobs.
func (s *Simulator) Handler() http.Handler { return s.harness }

// Harness gives tests direct access to the fault knobs and request log.
func (s *Simulator) Harness() *simulator.Harness { return s.harness }

// now is the simulator's clock: the injected clock plus the /_sim/clock offset.
// Callers hold mu.
func (s *Simulator) now() time.Time { return s.opts.Now().Add(s.offset).UTC() }

// newID returns a fresh id; callers hold mu.
func (s *Simulator) newID() string {
	if s.opts.NewID != nil {
		return s.opts.NewID()
	}
	s.seq++
	return fmt.Sprintf("%030d", s.seq)
}

func (s *Simulator) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/_sim/"):
		s.control(w, r)
	case r.URL.Path == PathOptions && r.Method == http.MethodGet:
		s.api(w, r, s.options)
	case r.Method != http.MethodPost:
		writeReply(w, failReply(http.StatusMethodNotAllowed, CodeFormat, "method not allowed"))
	case r.URL.Path == PathTransact:
		s.api(w, r, s.transact)
	case r.URL.Path == PathValidate:
		s.api(w, r, s.validate)
	case r.URL.Path == PathQuery:
		s.api(w, r, s.query)
	case r.URL.Path == PathReverse:
		s.api(w, r, s.reverse)
	case r.URL.Path == PathOptions:
		s.api(w, r, s.options)
	default:
		writeReply(w, failReply(http.StatusNotFound, CodeFormat, "no such endpoint"))
	}
}
