package simulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"time"
)

// Fault is one armed fault knob.
type Fault struct {
	Path    string `json:"path,omitempty"`
	Method  string `json:"method,omitempty"`
	Status  int    `json:"status,omitempty"`   // answer with this status without acting
	Body    string `json:"body,omitempty"`     // body for Status (default: a JSON error)
	DelayMS int    `json:"delay_ms,omitempty"` // act, then wait this long before answering
	Drop    bool   `json:"drop,omitempty"`     // act, then close the connection without an answer
	Lose    bool   `json:"lose,omitempty"`     // do not act; hold the request until the client gives up
	Count   int    `json:"count,omitempty"`    // how many requests it fires for (0 = 1)
}

func (f Fault) matches(r *http.Request) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if strings.Contains(f.Path, "*") {
		ok, _ := path.Match(f.Path, r.URL.Path)
		return ok
	}
	return strings.HasPrefix(r.URL.Path, f.Path)
}

// Harness wraps a provider handler with fault knobs and a request log.
type Harness struct {
	next http.Handler
	mu   sync.Mutex
	arms []Fault
	log  *RequestLog
	// Lost bounds how long a "lose" fault holds a request (default 60s).
	Lost time.Duration
}

// Wrap returns a Harness around next.
func Wrap(next http.Handler) *Harness {
	return &Harness{next: next, log: NewRequestLog(1000), Lost: 60 * time.Second}
}

// Log returns the harness's request log.
func (h *Harness) Log() *RequestLog { return h.log }

// Arm adds a fault.
func (h *Harness) Arm(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	h.mu.Lock()
	h.arms = append(h.arms, f)
	h.mu.Unlock()
}

// Reset disarms every fault.
func (h *Harness) Reset() {
	h.mu.Lock()
	h.arms = nil
	h.mu.Unlock()
}

// Faults returns the faults still armed.
func (h *Harness) Faults() []Fault {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Fault(nil), h.arms...)
}

// take consumes one firing of the first matching fault.
func (h *Harness) take(r *http.Request) (Fault, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, f := range h.arms {
		if !f.matches(r) {
			continue
		}
		h.arms[i].Count--
		if h.arms[i].Count <= 0 {
			h.arms = append(h.arms[:i], h.arms[i+1:]...)
		}
		return f, true
	}
	return Fault{}, false
}

func (h *Harness) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		h.control(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	f, fired := h.take(r)
	entry := Entry{Time: time.Now().UTC(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, raw: body}
	if fired {
		entry.Fault = describe(f)
	}
	switch {
	case fired && f.Lose:
		entry.Status = 0
		h.log.add(entry)
		select {
		case <-r.Context().Done():
		case <-time.After(h.Lost):
		}
		hijackClose(w)
		return
	case fired && f.Status != 0:
		entry.Status = f.Status
		h.log.add(entry)
		b := f.Body
		if b == "" {
			b = `{"error":"simulated fault","status":` + itoa(f.Status) + `}`
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, b)
		return
	}
	rec := httptest.NewRecorder()
	h.next.ServeHTTP(rec, r)
	entry.Status = rec.Code
	h.log.add(entry)
	if fired && f.Drop {
		hijackClose(w)
		return
	}
	if fired && f.DelayMS > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(time.Duration(f.DelayMS) * time.Millisecond):
		}
	}
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func describe(f Fault) string {
	switch {
	case f.Lose:
		return "lose"
	case f.Status != 0:
		return "status " + itoa(f.Status)
	case f.Drop:
		return "drop"
	case f.DelayMS > 0:
		return "delay " + itoa(f.DelayMS) + "ms"
	}
	return "none"
}

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (h *Harness) control(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/_sim/faults" && r.Method == http.MethodPost:
		var f Fault
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&f); err != nil {
			http.Error(w, "bad fault: "+err.Error(), http.StatusBadRequest)
			return
		}
		h.Arm(f)
		writeJSON(w, http.StatusCreated, h.Faults())
	case r.URL.Path == "/_sim/faults" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, h.Faults())
	case r.URL.Path == "/_sim/faults" && r.Method == http.MethodDelete:
		h.Reset()
		w.WriteHeader(http.StatusNoContent)
	case r.URL.Path == "/_sim/requests" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, h.log.Entries())
	case r.URL.Path == "/_sim/requests" && r.Method == http.MethodDelete:
		h.log.Clear()
		w.WriteHeader(http.StatusNoContent)
	default:
		// Provider-specific controls (e.g. /_sim/config) belong to the provider.
		h.next.ServeHTTP(w, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
