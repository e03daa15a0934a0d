package metrics

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ReadFunc reads a gauge's value at scrape time.
type ReadFunc = func(context.Context) (float64, error)

// Gauge registers a value read at scrape time, within the registry's gauge
// timeout (see SetGaugeTimeout). A read that fails or times out leaves the
// gauge out of that scrape. Registering a name again replaces its read
// function (each node of a test process registers its own store's).
func (r *Registry) Gauge(name, help string, read ReadFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if g := r.gauges[name]; g != nil {
		g.read.Store(&read)
		return
	}
	g := &gauge{r: r, name: name, desc: prometheus.NewDesc(name, help, nil, nil)}
	g.read.Store(&read)
	if err := r.reg.Register(g); err != nil {
		r.drop(name, err)
		return
	}
	r.gauges[name] = g
}

// gauge is a prometheus.Collector that calls its read function per scrape.
type gauge struct {
	r       *Registry
	name    string
	desc    *prometheus.Desc
	read    atomic.Pointer[ReadFunc]
	failing atomic.Bool // its last read failed (logged once per failure spell)
}

func (g *gauge) Describe(ch chan<- *prometheus.Desc) { ch <- g.desc }

func (g *gauge) Collect(ch chan<- prometheus.Metric) {
	v, err := g.value()
	if err != nil {
		if !g.failing.Swap(true) {
			g.r.log.Load().Warn("metrics: gauge read failed; left out until it recovers", "metric", g.name, "err", err)
		}
		return
	}
	if g.failing.Swap(false) {
		g.r.log.Load().Info("metrics: gauge read recovered", "metric", g.name)
	}
	ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, v)
}

// value reads the gauge, giving up after the timeout even when the read
// function ignores its context (it then finishes in the background).
func (g *gauge) value() (float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(g.r.gaugeTimeout.Load()))
	defer cancel()
	type result struct {
		v   float64
		err error
	}
	done := make(chan result, 1)
	read := *g.read.Load()
	go func() {
		v, err := read(ctx)
		done <- result{v, err}
	}()
	select {
	case res := <-done:
		return res.v, res.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
