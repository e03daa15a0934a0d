package metrics

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// family is a counter or histogram with its label names.
type family struct {
	name    string
	labels  []string
	counter *prometheus.CounterVec   // a counter, or
	hist    *prometheus.HistogramVec // a histogram
	err     error                    // why it could not be registered
}

// declare registers a metric of names.go; a bad declaration is a
// programming error that every test of every package reports.
func (r *Registry) declare(d spec) {
	f := &family{name: d.name, labels: d.labels}
	var c prometheus.Collector
	if d.buckets != nil {
		f.hist = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: d.name, Help: d.help, Buckets: d.buckets}, d.labels)
		c = f.hist
	} else {
		f.counter = prometheus.NewCounterVec(prometheus.CounterOpts{Name: d.name, Help: d.help}, d.labels)
		c = f.counter
	}
	r.reg.MustRegister(c)
	r.families[d.name] = f
}

// family returns the family called name, or nil.
func (r *Registry) family(name string) *family {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.families[name]
}

// collector is f's registered collector.
func (f *family) collector() prometheus.Collector {
	if f.hist != nil {
		return f.hist
	}
	return f.counter
}

// find returns f's series with the labels of pairs without creating it, or
// nil when it does not exist.
func (f *family) find(pairs []string) *dto.Metric {
	if f == nil || f.err != nil {
		return nil
	}
	values, err := labelValues(f.labels, pairs)
	if err != nil {
		return nil
	}
	ch := make(chan prometheus.Metric, 16)
	go func() { f.collector().Collect(ch); close(ch) }()
	var found *dto.Metric
	for m := range ch {
		var d dto.Metric
		if found == nil && m.Write(&d) == nil && sameLabels(d.GetLabel(), f.labels, values) {
			found = &d
		}
	}
	return found
}

// kindError reports a counter used as a histogram or the reverse.
func kindError(name, want string) error {
	return fmt.Errorf("%s is not a %s", name, want)
}
