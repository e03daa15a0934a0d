package engine

import (
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// observe counts a committed transition (bounded labels: the lifecycle and
// the status) and, for a transaction that reached a final status, how long
// it took from its creation.
func (e *Engine) observe(t *store.Txn, isNew bool) {
	l, ok := e.cfg.Lifecycles.ByType(t.Type)
	if !ok {
		return
	}
	metrics.Default.Inc(metrics.TransitionsTotal, "lifecycle", t.Type, "status", t.Status)
	if !isNew && l.Final(t.Status) {
		metrics.Default.Observe(metrics.CommandFinalEventSeconds, t.UpdatedAt.Sub(t.CreatedAt).Seconds(), "lifecycle", t.Type)
	}
}

func statusOf(t *store.Txn) string {
	if t == nil {
		return ""
	}
	return t.Status
}
