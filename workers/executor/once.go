package executor

import (
	"context"
	"sync"
)

// RunOnce claims the work due now (up to Concurrency items), carries it out
// through the same path as Run and waits for it to finish. It returns how
// many items it claimed. It is one turn of Run's loop, for callers that
// drive the executor step by step (orchestrator/lifecycle/lifecycletest).
func (x *Executor) RunOnce(ctx context.Context) (int, error) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, x.cfg.Concurrency)
	n, err := x.claim(ctx, 0, cap(slots), slots, &wg) // named by no holder: a step-by-step caller has no crash to recover from
	wg.Wait()
	return n, err
}
