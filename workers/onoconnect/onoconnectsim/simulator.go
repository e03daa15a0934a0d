package onoconnectsim

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/switchyard/switchyard/workers/simulator"
)

// DefaultMaxCharges is how many clientTransactionIds a simulator remembers
// when Options.MaxCharges is zero.
const DefaultMaxCharges = 1 << 20

// Options configure a Simulator. The zero value is usable.
type Options struct {
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// NewID generates transaction ids and session tokens (random UUIDs when nil).
	NewID func() string
	// TransactionToken, when set, is the only X-TransactionToken accepted.
	TransactionToken string
	// Declines maps amountInCents to an ISO response code, before the default rule.
	Declines map[int64]string
	// NoDefaultDeclines turns off the default rule (cents 51 → "51", 05 → "05").
	NoDefaultDeclines bool
	// ConfirmConflicts: the first N confirms of every new charge answer 409.
	ConfirmConflicts int
	// MaxCharges bounds memory: the oldest references are forgotten first.
	MaxCharges int
}

// Simulator is an in-memory ono//connect. It is safe for concurrent use.
type Simulator struct {
	now     func() time.Time
	newID   func() string
	harness *simulator.Harness
	handler http.Handler

	mu      sync.Mutex
	cfg     simConfig
	initial simConfig
	st      *store
}

// New returns a simulator with no charges.
func New(opts Options) *Simulator {
	s := &Simulator{now: opts.Now, newID: opts.NewID}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = randomUUID
	}
	if opts.MaxCharges <= 0 {
		opts.MaxCharges = DefaultMaxCharges
	}
	s.initial = simConfig{declines: opts.Declines, defaultDeclines: !opts.NoDefaultDeclines,
		confirmConflicts: max(0, opts.ConfirmConflicts), token: opts.TransactionToken}
	s.cfg = s.initial
	s.st = newStore(opts.MaxCharges)
	s.harness = simulator.Wrap(s.routes())
	s.handler = http.HandlerFunc(s.count)
	return s
}

// Handler serves the ono//connect API and the /_sim/ knobs, paths relative
// to the simulator's root (/v2/charges, ...).
func (s *Simulator) Handler() http.Handler { return s.handler }

// Harness returns the shared fault harness around the simulator.
func (s *Simulator) Harness() *simulator.Harness { return s.harness }

// ChargeCount returns how many charge calls carrying clientTransactionID
// were received, including those a fault then answered, delayed, dropped or
// lost.
func (s *Simulator) ChargeCount(clientTransactionID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ri := s.st.refs[clientTransactionID]; ri != nil {
		return ri.received
	}
	return 0
}

// Status returns the state of the latest charge made with
// clientTransactionID (any merchant): "" when none landed, else "approved",
// "declined", "confirmed" or "rejected".
func (s *Simulator) Status(clientTransactionID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ri := s.st.refs[clientTransactionID]; ri != nil && len(ri.charges) > 0 {
		return ri.charges[len(ri.charges)-1].status
	}
	return ""
}

// Reset forgets every charge and reference (the configuration stays).
func (s *Simulator) Reset() {
	s.mu.Lock()
	s.st.reset()
	s.mu.Unlock()
}

// count notes the clientTransactionId of every charge call before the fault
// harness sees it, so that faulted calls are counted too.
func (s *Simulator) count(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == pathCharges {
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
		r.Body = io.NopCloser(bytes.NewReader(body))
		var peek struct {
			ClientTransactionID string `json:"clientTransactionId"`
		}
		if json.Unmarshal(body, &peek) == nil && peek.ClientTransactionID != "" {
			s.mu.Lock()
			s.st.ref(peek.ClientTransactionID).received++
			s.mu.Unlock()
		}
	}
	s.harness.ServeHTTP(w, r)
}

func (s *Simulator) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/auth/loginDevice", s.loginDevice)
	mux.HandleFunc("POST /v2/charges", s.charge)
	mux.HandleFunc("POST /v2/charges/{transactionId}/confirm", s.confirm)
	mux.HandleFunc("POST /v2/charges/{transactionId}/reject", s.reject)
	mux.HandleFunc("POST /v2/charges/byClientTransactionId/{clientTransactionId}/reject", s.rejectByReference)
	mux.HandleFunc("GET /_sim/config", s.getConfig)
	mux.HandleFunc("POST /_sim/config", s.postConfig)
	mux.HandleFunc("DELETE /_sim/config", s.deleteConfig)
	mux.HandleFunc("GET /_sim/charges/{clientTransactionId}", s.inspect)
	mux.HandleFunc("DELETE /_sim/charges", s.clear)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, codeNotFound, "no such endpoint")
	})
	return mux
}

// inspect answers GET /_sim/charges/{clientTransactionId}.
func (s *Simulator) inspect(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("clientTransactionId")
	writeJSON(w, http.StatusOK, map[string]any{"clientTransactionId": ref,
		"received": s.ChargeCount(ref), "status": s.Status(ref)})
}

// clear answers DELETE /_sim/charges.
func (s *Simulator) clear(w http.ResponseWriter, _ *http.Request) {
	s.Reset()
	w.WriteHeader(http.StatusNoContent)
}

func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
