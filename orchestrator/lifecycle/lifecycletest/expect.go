package lifecycletest

import (
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// Txn returns the harness merchant's transaction id, or nil when there is
// none.
func (h *Harness) Txn(id uuid.UUID) *store.Txn { return h.TxnOf(h.Merchant, id) }

// TxnOf returns merchantID's transaction id, or nil when there is none.
func (h *Harness) TxnOf(merchantID, id uuid.UUID) *store.Txn {
	h.t.Helper()
	t, err := h.Store.TransactionGet(h.t.Context(), merchantID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		h.t.Fatalf("lifecycletest: read transaction %s: %v", id, err)
	}
	return t
}

// ExpectStatus fails the test unless transaction id is in status.
func (h *Harness) ExpectStatus(id uuid.UUID, status string) *store.Txn {
	h.t.Helper()
	t := h.Txn(id)
	if t == nil {
		h.t.Fatalf("lifecycletest: transaction %s does not exist; want it %s", id, status)
	}
	if t.Status != status {
		h.t.Fatalf("lifecycletest: transaction %s is %s, want %s", id, t.Status, status)
	}
	return t
}

// Events returns transaction id's history (transaction_events), in order.
func (h *Harness) Events(id uuid.UUID) []store.Event {
	h.t.Helper()
	evs, err := h.Store.TransactionEvents(h.t.Context(), h.Merchant, id)
	if err != nil {
		h.t.Fatalf("lifecycletest: read events of %s: %v", id, err)
	}
	return evs
}

// ExpectEvents fails the test unless transaction id's history is exactly
// the events of types, in order.
func (h *Harness) ExpectEvents(id uuid.UUID, types ...string) {
	h.t.Helper()
	var got []string
	for _, e := range h.Events(id) {
		got = append(got, e.Type)
	}
	if !slices.Equal(got, types) {
		h.t.Fatalf("lifecycletest: events of %s:\n got %q\nwant %q", id, got, types)
	}
}

// ExpectCalls fails the test unless the scripted operations received
// exactly these calls ("provider/op"), in order, since the harness began.
func (h *Harness) ExpectCalls(calls ...string) {
	h.t.Helper()
	if got := callNames(h.Calls()); !slices.Equal(got, calls) {
		h.t.Fatalf("lifecycletest: provider calls:\n got %q\nwant %q", got, calls)
	}
}

// NextTimer returns when the earliest timer is due, zero when there is none.
func (h *Harness) NextTimer() time.Time {
	h.t.Helper()
	at, err := h.Store.NextTimerDue(h.t.Context())
	if err != nil {
		h.t.Fatalf("lifecycletest: next timer: %v", err)
	}
	return at
}
