package provider

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// Exchange is one HTTP request and its answer, as a provider-call record
// keeps it: bodies redacted (Redact) and bounded, no headers (they carry
// credentials).
type Exchange struct {
	Method    string          `json:"method"`
	Path      string          `json:"path"`
	Status    int             `json:"status,omitempty"`
	Request   json.RawMessage `json:"request,omitempty"`
	Response  json.RawMessage `json:"response,omitempty"`
	LatencyMS int64           `json:"latency_ms"`
	Error     string          `json:"error,omitempty"`
}

// Recorder collects the exchanges of the calls made with its context.
type Recorder struct {
	mu        sync.Mutex
	exchanges []Exchange
}

type recorderKey struct{}

// Record returns a context whose provider calls (Caller.Do) are recorded in
// the returned Recorder.
func Record(ctx context.Context) (context.Context, *Recorder) {
	r := &Recorder{}
	return context.WithValue(ctx, recorderKey{}, r), r
}

func recorderOf(ctx context.Context) *Recorder {
	r, _ := ctx.Value(recorderKey{}).(*Recorder)
	return r
}

// maxRecorded bounds each recorded body after redaction.
const maxRecorded = 8 << 10

func (r *Recorder) add(method, path string, status int, req, resp []byte, latency time.Duration, err error) {
	if r == nil {
		return
	}
	ex := Exchange{Method: method, Path: maskText(boundString(path, 512)), Status: status, Request: Redact(req, maxRecorded),
		Response: Redact(resp, maxRecorded), LatencyMS: latency.Milliseconds()}
	if err != nil {
		ex.Error = maskText(boundString(err.Error(), 512))
	}
	r.mu.Lock()
	r.exchanges = append(r.exchanges, ex)
	r.mu.Unlock()
}

// Exchanges returns what was recorded, as JSON (an array).
func (r *Recorder) Exchanges() json.RawMessage {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.exchanges) == 0 {
		return json.RawMessage(`[]`)
	}
	b, err := json.Marshal(r.exchanges)
	if err != nil {
		return json.RawMessage(`[]`)
	}
	return b
}

func boundString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
