package metrics

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Help sets the HELP text of a counter not used yet. A counter keeps the
// help it had at its first use, and declared metrics (names.go) keep
// theirs, so call Help at start-up, before the counter is first used.
func (r *Registry) Help(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.families[name] == nil {
		r.help[name] = text
	}
}

// Inc adds one to the counter name{labels}; labels are key, value pairs
// whose values come from a small fixed set (see the package doc).
func (r *Registry) Inc(name string, labels ...string) { r.Add(name, 1, labels...) }

// Add adds n ≥ 0 to the counter name{labels}; labels are key, value pairs.
// The first use of a name that names.go does not declare registers it with
// these label names; a later use with other label names is dropped.
func (r *Registry) Add(name string, n int64, labels ...string) {
	if n < 0 {
		r.drop(name, fmt.Errorf("negative increment %d", n))
		return
	}
	c, err := r.counter(name, labels)
	if err != nil {
		r.drop(name, err)
		return
	}
	c.Add(float64(n))
}

// Value returns the counter name{labels} (0 when it has never been added
// to). It is meant for tests and is slower than Add.
func (r *Registry) Value(name string, labels ...string) int64 {
	m := r.family(name).find(labels)
	if m == nil || m.Counter == nil {
		return 0
	}
	return int64(m.Counter.GetValue())
}

// counter returns the series name{labels}, registering name on first use.
func (r *Registry) counter(name string, labels []string) (prometheus.Counter, error) {
	f, err := r.counterFamily(name, labels)
	if err != nil {
		return nil, err
	}
	values, err := labelValues(f.labels, labels)
	if err != nil {
		return nil, err
	}
	return f.counter.GetMetricWithLabelValues(values...)
}

// counterFamily returns the counter called name, registering it with the
// label names of pairs when it is new.
func (r *Registry) counterFamily(name string, pairs []string) (*family, error) {
	f := r.family(name)
	if f == nil {
		names, err := labelNames(pairs)
		if err != nil {
			return nil, err
		}
		f = r.newCounter(name, names)
	}
	switch {
	case f.err != nil:
		return nil, f.err
	case f.counter == nil:
		return nil, kindError(name, "counter")
	}
	return f, nil
}

// newCounter registers a counter, or remembers why it cannot be.
func (r *Registry) newCounter(name string, labels []string) *family {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f := r.families[name]; f != nil {
		return f // registered meanwhile
	}
	f := &family{name: name, labels: labels,
		counter: prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: r.help[name]}, labels)}
	if err := r.reg.Register(f.counter); err != nil {
		f.counter, f.err = nil, fmt.Errorf("register: %w", err)
	}
	r.families[name] = f
	return f
}
