package lifecycletest

import (
	"time"

	"github.com/switchyard/switchyard/workers/executor"
)

// maxRounds bounds RunWork and FireTimers: a lifecycle that keeps asking for
// work or timers due at once is in a loop.
const maxRounds = 100

// timerBatch is how many due timers one pass of the timer service fires.
const timerBatch = 1000

// RunWork carries out every work item that is due, through the executor's
// own code path (claim, fence, call, commit, recovery rule) with the
// scripted connectors, until none is left: a result that asks for another
// call is followed at once. It fails the test when a work item is left
// undone (an operation without a script, or without an answer left).
func (h *Harness) RunWork() {
	h.t.Helper()
	x := executor.New(executor.Config{Engine: h.Engine, Connectors: h.connectors(), Log: h.log,
		Lease: executor.LeaseFor(time.Second)})
	for round := 0; ; round++ {
		if round == maxRounds {
			h.t.Fatalf("lifecycletest: work still due after %d rounds: a lifecycle in a loop?", maxRounds)
		}
		n, err := x.RunOnce(h.t.Context())
		if err != nil {
			h.t.Fatalf("lifecycletest: run work: %v", err)
		}
		if n == 0 {
			break
		}
	}
	left, err := h.Store.WorkPending(h.t.Context())
	if err != nil {
		h.t.Fatalf("lifecycletest: pending work: %v", err)
	}
	if left > 0 {
		h.t.Fatalf("lifecycletest: %d work item(s) left undone: an operation with no script or no answer left? (calls so far: %v)",
			left, callNames(h.Calls()))
	}
}

// FireTimers fires every timer due at the fake clock's time, as the timer
// service's pass does, until none is due, and returns how many it applied.
// A timer whose application fails fails the test.
func (h *Harness) FireTimers() int {
	h.t.Helper()
	fired := 0
	for round := 0; ; round++ {
		if round == maxRounds {
			h.t.Fatalf("lifecycletest: timers still due after %d rounds: a lifecycle in a loop?", maxRounds)
		}
		due, err := h.Store.TimersDue(h.t.Context(), h.Now(), timerBatch)
		if err != nil {
			h.t.Fatalf("lifecycletest: due timers: %v", err)
		}
		if len(due) == 0 {
			return fired
		}
		n, err := h.timers.Pass(h.t.Context())
		if err != nil {
			h.t.Fatalf("lifecycletest: timer pass: %v", err)
		}
		if n < len(due) {
			h.t.Fatalf("lifecycletest: %d of %d due timers failed to apply (see the log)", len(due)-n, len(due))
		}
		fired += n
	}
}

func callNames(cs []Call) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Provider + "/" + c.Op
	}
	return out
}
