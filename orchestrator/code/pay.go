package code

import (
	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// TakePayment applies a believed payment to code t (a payment's parent,
// locked): an active code takes it, and a use-once code becomes used (its
// expiry timer is then ignored when it fires; a change still in flight is
// abandoned, its late result ignored). It reports whether the code took
// it; a code that is not active (blocked, deleted, expired, used, failed,
// pending) does not, and is left as it was.
func TakePayment(t *store.Txn) bool {
	s, ok := readState(t)
	if !ok || s.Status != events.StatusActive {
		return false
	}
	if s.Spec.UseOnce {
		s.Status, s.Op, s.Next, s.Attempt = events.StatusUsed, "", nil, 0
		writeState(t, s)
	}
	return true
}
