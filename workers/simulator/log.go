package simulator

import (
	"regexp"
	"sync"
	"time"
)

// Entry is one request the simulator received.
type Entry struct {
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Query  string    `json:"query,omitempty"`
	Status int       `json:"status"`
	Fault  string    `json:"fault,omitempty"`
	Body   string    `json:"body,omitempty"`
	raw    []byte    // masked into Body only when the log is read: masking is not free
}

// RequestLog keeps the last N entries.
type RequestLog struct {
	mu      sync.Mutex
	max     int
	entries []Entry
}

// NewRequestLog keeps at most max entries.
func NewRequestLog(max int) *RequestLog { return &RequestLog{max: max} }

func (l *RequestLog) add(e Entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
	if len(l.entries) >= 2*l.max {
		// Trim in halves: amortised O(1) per request, never a copy per request.
		l.entries = append(l.entries[:0:0], l.entries[len(l.entries)-l.max:]...)
	}
}

// Entries returns a copy of the last max entries, oldest first.
func (l *RequestLog) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entries
	if len(e) > l.max {
		e = e[len(e)-l.max:]
	}
	out := append([]Entry(nil), e...)
	for i := range out {
		if out[i].Body == "" && len(out[i].raw) > 0 {
			out[i].Body = Mask(out[i].raw)
		}
		out[i].raw = nil
	}
	return out
}

// Count returns how many logged requests had this method and path.
func (l *RequestLog) Count(method, path string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	e := l.entries
	if len(e) > l.max {
		e = e[len(e)-l.max:] // the same entries Entries shows
	}
	for _, e := range e {
		if e.Method == method && e.Path == path {
			n++
		}
	}
	return n
}

// Clear empties the log.
func (l *RequestLog) Clear() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}

var (
	panRe    = regexp.MustCompile(`\b(\d{6})\d{3,9}(\d{4})\b`)
	secretRe = regexp.MustCompile(`(?i)("[^"]*(cvv|cvc|cvn|validationvalue|pin|otp|password|secret|secure|authenticationkey|api_?key|token|card_?number|cardnumber|accountnumber)[^"]*"\s*:\s*)("[^"]*"|\d+)`)
)

// Mask hides card numbers (keeping BIN and last four) and the values of
// fields whose names say they are secret, so that the request log never shows
// them in clear.
func Mask(body []byte) string {
	s := secretRe.ReplaceAllString(string(body), `$1"***"`)
	return panRe.ReplaceAllString(s, "$1******$2")
}
