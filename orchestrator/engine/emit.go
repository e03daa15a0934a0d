package engine

import (
	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// emitsOf picks the Emit effects out of effs, in order.
func emitsOf(effs []effect.Effect) []effect.Emit {
	var out []effect.Emit
	for _, eff := range effs {
		if em, ok := eff.(effect.Emit); ok {
			out = append(out, em)
		}
	}
	return out
}

// queueEmits adds t's events that are not status changes ("<type>.<kind>"),
// numbered from first; the caller has counted them into t.EventSeq.
func (e *Engine) queueEmits(b *store.Batch, t *store.Txn, first int, emits []effect.Emit, causation, tp string) {
	for i, em := range emits {
		e.queueEventOf(b, t, events.EventType(t.Type, em.Kind), first+i, em.Detail, causation, tp)
	}
}

// parentChanged reports whether a transition changed the parent or asked
// for events on it: either way the parent is written with the child.
func parentChanged(changed bool, emits []effect.Emit) bool { return changed || len(emits) > 0 }

// isNotFound reports whether err is lockRef's not_found rejection.
func isNotFound(err error) bool {
	r, ok := asRejection(err)
	return ok && r.reason.Code == events.ReasonNotFound
}
