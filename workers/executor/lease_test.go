package executor_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
)

// TestLocalFailureHandsBackUnsent: a failure before anything was sent
// (credentials, unsealing) hands the item back for later, recorded as not
// sent: the next claim makes the call, even for an operation that is never
// repeated once sent.
func TestLocalFailureHandsBackUnsent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		prepareFails bool // the connector's Prepare fails (else the call)
		wantFns      []string
	}{
		{name: "call fails before sending", wantFns: []string{"call", "call"}},
		{name: "prepare fails", prepareFails: true, wantFns: []string{"call"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			var failures atomic.Int32
			failures.Store(1)
			fail := func() error {
				if failures.Add(-1) >= 0 {
					return errors.New("credentials unavailable")
				}
				return nil
			}
			prepare := func(context.Context, uuid.UUID) error { return nil }
			if tc.prepareFails {
				prepare = func(context.Context, uuid.UUID) error { return fail() }
			}
			call := b.fn(t, "call", func(ctx context.Context, c connector.Call) (lifecycle.Result, error) {
				if !tc.prepareFails {
					if err := fail(); err != nil {
						return lifecycle.Result{}, err
					}
				}
				return answer(lifecycle.OK)(ctx, c)
			})
			b.start(time.Minute, prepare, connector.Operation{Name: "charge", Recovery: connector.ReverseByReference, Call: call})
			id := b.newCall(t, "charge")

			b.runOnce(t, 1)
			if left := b.workLeft(t, id); len(left) != 1 || left[0] != [2]int{1, 0} {
				t.Fatalf("after the local failure, items %v; want one at attempt 1, not sent", left)
			}
			b.expectApplied(t, id)
			b.expectCalls(t, id, "charge")
			b.runOnce(t, 0) // handed back for later, not at once

			if _, err := b.st.Pool.Exec(t.Context(), `UPDATE work_items SET available_at = now()`); err != nil {
				t.Fatal(err)
			}
			b.runOnce(t, 1)
			var fns []string
			for _, inv := range b.invocations() {
				fns = append(fns, inv.Fn)
			}
			if len(fns) != len(tc.wantFns) {
				t.Errorf("invoked %v, want %v", fns, tc.wantFns)
			}
			b.expectApplied(t, id, "ok")
			b.expectCalls(t, id, "charge", store.ProviderCall{Attempt: 2, Outcome: "ok"})
		})
	}
}

// TestLeaseLostResult: a worker whose lease ran out while it called (the
// item was claimed again) does not commit its result with the work item;
// a provider fact (approved, declined) is still applied, late, and the call
// is recorded either way.
func TestLeaseLostResult(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		outcome lifecycle.Outcome
		applied []string
	}{
		{lifecycle.OK, []string{"ok"}},
		{lifecycle.Declined, []string{"declined"}},
		{lifecycle.Unknown, nil},
	} {
		t.Run(tc.outcome.String(), func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			started, reclaimed := make(chan struct{}), make(chan struct{})
			call := b.fn(t, "call", func(ctx context.Context, c connector.Call) (lifecycle.Result, error) {
				close(started)
				select {
				case <-reclaimed:
				case <-time.After(20 * time.Second):
				}
				return answer(tc.outcome)(ctx, c)
			})
			b.start(time.Second, nil, connector.Operation{Name: "charge", Recovery: connector.ReverseByReference, Call: call})
			id := b.newCall(t, "charge")

			ran := make(chan error, 1)
			go func() { _, err := b.x.RunOnce(t.Context()); ran <- err }()
			<-started
			deadline := time.Now().Add(15 * time.Second)
			for {
				items, err := b.st.WorkClaim(t.Context(), store.WorkProviderCall, 1, time.Hour, 0)
				if err != nil {
					t.Fatal(err)
				}
				if len(items) == 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the executor's claim never ran out")
				}
				time.Sleep(50 * time.Millisecond)
			}
			close(reclaimed)
			if err := <-ran; err != nil {
				t.Fatal(err)
			}

			if left := b.workLeft(t, id); len(left) != 1 || left[0] != [2]int{2, 1} {
				t.Errorf("items %v; want the new claim's (attempt 2, sent by attempt 1) untouched", left)
			}
			b.expectApplied(t, id, tc.applied...)
			b.expectCalls(t, id, "charge", store.ProviderCall{Attempt: 1, Outcome: tc.outcome.String()})
		})
	}
}
