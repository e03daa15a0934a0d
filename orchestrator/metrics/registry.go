package metrics

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
)

// DefaultGaugeTimeout bounds one read of a gauge at scrape time.
const DefaultGaugeTimeout = 2 * time.Second

// Registry holds metrics in a prometheus.Registry of its own (not the
// client library's global one).
type Registry struct {
	reg          *prometheus.Registry
	log          atomic.Pointer[slog.Logger]
	gaugeTimeout atomic.Int64 // time.Duration

	mu       sync.RWMutex
	families map[string]*family // counters and histograms by name
	gauges   map[string]*gauge
	help     map[string]string // help given before a counter's first use

	warned  sync.Map // metric name → struct{}: its misuse has been logged
	dropped *prometheus.CounterVec
}

// New returns a registry with the Go runtime and process collectors and the
// metrics declared in names.go.
func New() *Registry {
	r := &Registry{reg: prometheus.NewRegistry(), families: map[string]*family{},
		gauges: map[string]*gauge{}, help: map[string]string{}}
	r.log.Store(slog.Default())
	r.gaugeTimeout.Store(int64(DefaultGaugeTimeout))
	r.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, d := range declared {
		r.declare(d)
	}
	r.dropped = r.families[DroppedTotal].counter
	return r
}

// Default is the process-wide registry.
var Default = New()

// SetLogger sets where misuse and failing gauges are reported
// (slog.Default() until then).
func (r *Registry) SetLogger(l *slog.Logger) {
	if l != nil {
		r.log.Store(l)
	}
}

// SetGaugeTimeout bounds each gauge read at scrape time (d > 0).
func (r *Registry) SetGaugeTimeout(d time.Duration) {
	if d > 0 {
		r.gaugeTimeout.Store(int64(d))
	}
}

// Handler serves the registry in the Prometheus exposition format. A
// collector that fails is logged and left out; the rest is still served.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{
		ErrorLog: errorLog{r}, ErrorHandling: promhttp.ContinueOnError})
}

// WriteText writes every metric in the Prometheus text format. ctx is not
// used: gauges are read with the registry's own timeout, as by Handler.
func (r *Registry) WriteText(_ context.Context, w io.Writer) {
	mfs, err := r.reg.Gather()
	if err != nil {
		r.log.Load().Warn("metrics: gather", "err", err)
	}
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(w, mf); err != nil {
			return
		}
	}
}

// drop counts a misused update of name and logs the first one per reason.
func (r *Registry) drop(name string, err error) {
	r.dropped.WithLabelValues(name).Inc()
	if _, seen := r.warned.LoadOrStore(name, struct{}{}); !seen {
		r.log.Load().Warn("metrics: update dropped (logged once per metric)", "metric", name, "err", err)
	}
}

// errorLog hands promhttp's errors to the registry's logger.
type errorLog struct{ r *Registry }

func (e errorLog) Println(v ...any) { e.r.log.Load().Warn("metrics: serve", "err", fmt.Sprint(v...)) }
