// Package metrics is Switchyard's Prometheus registry, built on
// prometheus/client_golang: counters with labels, histograms declared in
// names.go, gauges read at scrape time, and the Go runtime and process
// collectors. Every package counts what it does through Default; the API
// serves it at GET /metrics (Registry.Handler).
//
// Counters are registered lazily, as a CounterVec, the first time a name is
// used: the label names of that first use are the metric's label names.
// Histograms (and the counters other engineers must spell the same way) are
// declared up front in names.go, with their help, label names and buckets.
//
// # Label values must be bounded
//
// Every distinct set of label values is a series that lives as long as the
// process. A label value must come from a small fixed set: an outcome, a
// command type, a provider or operation name, an HTTP method after
// methodLabel, a status code, a timer kind. Never an id (transaction,
// merchant, command, message), a reference, an amount, an error text or
// anything else a client chooses: log those instead.
//
// # Misuse is dropped, never a panic
//
// A call whose label names differ from the metric's (another set, an odd
// list of pairs), a negative counter increment, an observation of a
// histogram that names.go does not declare, or a name that cannot be
// registered is dropped: the registry logs it once per metric and counts it
// in switchyard_metrics_dropped_total{metric}. Metrics never take the
// process down.
package metrics
