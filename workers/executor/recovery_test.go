package executor_test

import (
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
)

// TestRecoveryRules: for each recovery rule, a first attempt calls the
// operation, and an item an earlier attempt recorded as sent (its worker
// died) is recovered by the rule: repeated, reported unknown without a
// call, queried, or retried with the same id.
func TestRecoveryRules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		rule    connector.Recovery
		earlier bool // an earlier attempt recorded the call as sent
		// what the executor did: the functions invoked (with the item's
		// sent_attempt while each ran), the outcome applied, and the
		// provider_calls rows
		wantFns     []string
		wantSentNow int
		wantApplied string
		wantCalls   []store.ProviderCall
	}{
		{name: "repeat, first attempt: called, nothing marked sent", rule: connector.Repeat,
			wantFns: []string{"call"}, wantSentNow: 0, wantApplied: "ok", wantCalls: []store.ProviderCall{{Attempt: 1, Outcome: "ok"}}},
		{name: "repeat, sent before: simply called again, still not marked", rule: connector.Repeat, earlier: true,
			wantFns: []string{"call"}, wantSentNow: 1, wantApplied: "ok", wantCalls: []store.ProviderCall{{Attempt: 2, Outcome: "ok"}}},
		{name: "reverse by reference, first attempt: called, marked sent", rule: connector.ReverseByReference,
			wantFns: []string{"call"}, wantSentNow: 1, wantApplied: "ok", wantCalls: []store.ProviderCall{{Attempt: 1, Outcome: "ok"}}},
		{name: "reverse by reference, sent before: not called, unknown", rule: connector.ReverseByReference, earlier: true,
			wantApplied: "unknown"},
		{name: "report unknown, first attempt: called, marked sent", rule: connector.ReportUnknown,
			wantFns: []string{"call"}, wantSentNow: 1, wantApplied: "ok", wantCalls: []store.ProviderCall{{Attempt: 1, Outcome: "ok"}}},
		{name: "report unknown, sent before: not called, unknown", rule: connector.ReportUnknown, earlier: true,
			wantApplied: "unknown"},
		{name: "query first, first attempt: called", rule: connector.QueryFirst,
			wantFns: []string{"call"}, wantSentNow: 1, wantApplied: "ok", wantCalls: []store.ProviderCall{{Attempt: 1, Outcome: "ok"}}},
		{name: "query first, sent before: queried, never called", rule: connector.QueryFirst, earlier: true,
			wantFns: []string{"recover"}, wantSentNow: 2, wantApplied: "declined", wantCalls: []store.ProviderCall{{Attempt: 2, Outcome: "declined"}}},
		{name: "retry with the same id, first attempt: called", rule: connector.RetrySameID,
			wantFns: []string{"call"}, wantSentNow: 1, wantApplied: "ok", wantCalls: []store.ProviderCall{{Attempt: 1, Outcome: "ok"}}},
		{name: "retry with the same id, sent before: retried", rule: connector.RetrySameID, earlier: true,
			wantFns: []string{"recover"}, wantSentNow: 2, wantApplied: "declined", wantCalls: []store.ProviderCall{{Attempt: 2, Outcome: "declined"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			op := connector.Operation{Name: "pay", Recovery: tc.rule,
				Call: b.fn(t, "call", answer(lifecycle.OK)), Recover: b.fn(t, "recover", answer(lifecycle.Declined))}
			b.start(time.Minute, nil, op)
			id := b.newCall(t, "pay")
			var first store.WorkItem
			if tc.earlier {
				first = b.sentByEarlierAttempt(t)
			}
			b.runOnce(t, 1)

			got := b.invocations()
			if len(got) != len(tc.wantFns) {
				t.Fatalf("invoked %+v, want %v", got, tc.wantFns)
			}
			for i, inv := range got {
				if inv.Fn != tc.wantFns[i] || inv.SentNow != tc.wantSentNow {
					t.Errorf("invocation %d: %s with sent_attempt %d, want %s with %d", i, inv.Fn, inv.SentNow, tc.wantFns[i], tc.wantSentNow)
				}
				if inv.Txn != id || inv.Work.TransactionID != id || inv.Work.Op != "pay" {
					t.Errorf("invocation %d about %s (work %+v), want transaction %s", i, inv.Txn, inv.Work, id)
				}
				if tc.earlier && (inv.Work.ID != first.ID || inv.Work.Attempt != 2 || inv.Work.SentAttempt != 1) {
					t.Errorf("invocation %d with work %+v, want item %d at attempt 2, sent by attempt 1", i, inv.Work, first.ID)
				}
			}
			b.expectApplied(t, id, tc.wantApplied)
			if left := b.workLeft(t, id); len(left) != 0 {
				t.Errorf("work items left: %v", left)
			}
			b.expectCalls(t, id, "pay", tc.wantCalls...)
		})
	}
}

// TestRecoverFlagFollowsTheRuleFromTheFirstClaim: a new item whose op may
// have reached the provider through an earlier item (effect.Call.Recover,
// after an unknown result) is recovered by its rule at once: queried or
// retried with the same id, never called blindly; a Repeat op is simply
// called.
func TestRecoverFlagFollowsTheRuleFromTheFirstClaim(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule    connector.Recovery
		wantFn  string
		applied string
	}{
		{connector.QueryFirst, "recover", "declined"},
		{connector.RetrySameID, "recover", "declined"},
		{connector.Repeat, "call", "ok"},
		{connector.ReportUnknown, "", "unknown"},
	} {
		t.Run(tc.rule.String(), func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			op := connector.Operation{Name: "pay", Recovery: tc.rule,
				Call: b.fn(t, "call", answer(lifecycle.OK)), Recover: b.fn(t, "recover", answer(lifecycle.Declined))}
			b.start(time.Minute, nil, op)
			id := b.newCallWith(t, "pay", true)
			b.runOnce(t, 1)
			got := b.invocations()
			if tc.wantFn == "" {
				if len(got) != 0 {
					t.Fatalf("invoked %+v, want no call", got)
				}
				b.expectApplied(t, id, tc.applied)
				return
			}
			if len(got) != 1 || got[0].Fn != tc.wantFn {
				t.Fatalf("invoked %+v, want only %s", got, tc.wantFn)
			}
			if !got[0].Work.Recover || got[0].Work.Attempt != 1 {
				t.Errorf("work %+v: want the recover flag at attempt 1", got[0].Work)
			}
			b.expectApplied(t, id, tc.applied)
		})
	}
}
