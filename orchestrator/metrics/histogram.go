package metrics

import (
	"fmt"
)

// Observe records seconds in the histogram name{labels}, which names.go
// declares; labels are key, value pairs naming exactly its label names.
func (r *Registry) Observe(name string, seconds float64, labels ...string) {
	f := r.family(name)
	if f == nil || f.hist == nil {
		r.drop(name, fmt.Errorf("%s is not a histogram declared in names.go", name))
		return
	}
	values, err := labelValues(f.labels, labels)
	if err != nil {
		r.drop(name, err)
		return
	}
	o, err := f.hist.GetMetricWithLabelValues(values...)
	if err != nil {
		r.drop(name, err)
		return
	}
	o.Observe(seconds)
}

// Observed returns the number and the sum of the samples of the histogram
// name{labels} (zeros when it has none). It is meant for tests.
func (r *Registry) Observed(name string, labels ...string) (count uint64, sum float64) {
	m := r.family(name).find(labels)
	if m == nil || m.Histogram == nil {
		return 0, 0
	}
	return m.Histogram.GetSampleCount(), m.Histogram.GetSampleSum()
}
