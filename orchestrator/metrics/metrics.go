// Package metrics is a small Prometheus text-format registry: counters with
// labels and gauges read at scrape time. It has no dependencies, so every
// package can count what it does.
package metrics

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Registry holds metrics.
type Registry struct {
	mu       sync.Mutex
	help     map[string]string
	counters map[string]*atomic.Int64 // series key → value
	gauges   map[string]func(context.Context) (float64, error)
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{help: map[string]string{}, counters: map[string]*atomic.Int64{},
		gauges: map[string]func(context.Context) (float64, error){}}
}

// Default is the process-wide registry.
var Default = New()

// Help sets a metric's HELP text.
func (r *Registry) Help(name, text string) {
	r.mu.Lock()
	r.help[name] = text
	r.mu.Unlock()
}

// Add adds n to the counter name{labels}; labels are key, value pairs.
func (r *Registry) Add(name string, n int64, labels ...string) {
	key := series(name, labels)
	r.mu.Lock()
	c, ok := r.counters[key]
	if !ok {
		c = new(atomic.Int64)
		r.counters[key] = c
	}
	r.mu.Unlock()
	c.Add(n)
}

// Value returns the counter name{labels} (0 when it has never been added to).
func (r *Registry) Value(name string, labels ...string) int64 {
	r.mu.Lock()
	c, ok := r.counters[series(name, labels)]
	r.mu.Unlock()
	if !ok {
		return 0
	}
	return c.Load()
}

// Inc adds one.
func (r *Registry) Inc(name string, labels ...string) { r.Add(name, 1, labels...) }

// Gauge registers a value read at scrape time.
func (r *Registry) Gauge(name, help string, read func(context.Context) (float64, error)) {
	r.mu.Lock()
	r.gauges[name], r.help[name] = read, help
	r.mu.Unlock()
}

func series(name string, labels []string) string {
	if len(labels) == 0 {
		return name
	}
	var b strings.Builder
	b.WriteString(name + "{")
	for i := 0; i+1 < len(labels); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%q", labels[i], labels[i+1])
	}
	b.WriteByte('}')
	return b.String()
}

// WriteText writes every metric in the Prometheus text format.
func (r *Registry) WriteText(ctx context.Context, w io.Writer) {
	r.mu.Lock()
	keys := make([]string, 0, len(r.counters))
	for k := range r.counters {
		keys = append(keys, k)
	}
	gauges := make(map[string]func(context.Context) (float64, error), len(r.gauges))
	for k, v := range r.gauges {
		gauges[k] = v
	}
	help := make(map[string]string, len(r.help))
	for k, v := range r.help {
		help[k] = v
	}
	r.mu.Unlock()
	sort.Strings(keys)
	seen := map[string]bool{}
	for _, k := range keys {
		name, _, _ := strings.Cut(k, "{")
		if !seen[name] {
			seen[name] = true
			if h := help[name]; h != "" {
				fmt.Fprintf(w, "# HELP %s %s\n", name, h)
			}
			fmt.Fprintf(w, "# TYPE %s counter\n", name)
		}
		r.mu.Lock()
		v := r.counters[k].Load()
		r.mu.Unlock()
		fmt.Fprintf(w, "%s %d\n", k, v)
	}
	names := make([]string, 0, len(gauges))
	for k := range gauges {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		v, err := gauges[name](ctx)
		if err != nil {
			continue
		}
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %g\n", name, help[name], name, name, v)
	}
}
