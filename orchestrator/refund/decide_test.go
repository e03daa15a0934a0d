package refund_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/refund"
)

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// The inputs a refund may be given, by name.
func result(op string, o lifecycle.Outcome, b lifecycle.Batch) lifecycle.Result {
	r := lifecycle.Result{Op: op, Outcome: o, Batch: b, Code: "C-" + o.String(), Message: "m-" + o.String()}
	if o == lifecycle.OK {
		r.ProviderReference = "p-" + op
	}
	if o == lifecycle.Declined && b == lifecycle.BatchClosed {
		r.Code = "BatchHasBeenClosed"
	}
	if o == lifecycle.Declined && b == lifecycle.BatchOpen {
		r.Code = "BatchHasNotBeenClosed"
	}
	return r
}

var inputs = map[string]lifecycle.Input{
	"void ok":           result("void", lifecycle.OK, 0),
	"void declined":     result("void", lifecycle.Declined, 0),
	"void batch closed": result("void", lifecycle.Declined, lifecycle.BatchClosed),
	"void failed":       result("void", lifecycle.Failed, 0),
	"void not found":    result("void", lifecycle.NotFound, 0),
	"void unknown":      result("void", lifecycle.Unknown, 0),
	"void retry later":  result("void", lifecycle.RetryLater, 0),

	"refund ok":          result("refund", lifecycle.OK, 0),
	"refund declined":    result("refund", lifecycle.Declined, 0),
	"refund batch open":  result("refund", lifecycle.Declined, lifecycle.BatchOpen),
	"refund failed":      result("refund", lifecycle.Failed, 0),
	"refund not found":   result("refund", lifecycle.NotFound, 0),
	"refund unknown":     result("refund", lifecycle.Unknown, 0),
	"refund retry later": result("refund", lifecycle.RetryLater, 0),

	"retry timer":    lifecycle.TimerFired{Kind: refund.TimerRetry, Attempt: 1, DueAt: now},
	"other timer":    lifecycle.TimerFired{Kind: "confirm_deadline", DueAt: now},
	"parent settled": lifecycle.ParentSettled{},
	"call cancelled": lifecycle.CallCancelled{Op: "void"},
	"settle":         lifecycle.Settle{At: now},
}

var statuses = []string{"pending", "deferred", "voiding", "refunding", "succeeded", "failed"}

// family is a refund of amount in status (carried out by method) of a
// charge.
func family(status, method, amount string, c refund.Charge) refund.Family {
	return refund.Family{Refund: refund.State{Status: status, Method: method}, Amount: dec(amount), Charge: c}
}

type row struct {
	name, status, input string
	prov                lifecycle.Provider
	from                refund.Family
	want                refund.Family
	effs                []effect.Effect
}

func retryTimer(attempt int, d time.Duration) []effect.Effect {
	return []effect.Effect{effect.SetTimer{Kind: refund.TimerRetry, At: now.Add(d), Attempt: attempt}}
}

func declined(code string) *events.Reason {
	return &events.Reason{Code: events.ReasonProviderDeclined, Message: "m-declined", ProviderCode: code}
}

func providerError(o lifecycle.Outcome) *events.Reason {
	return &events.Reason{Code: events.ReasonProviderError, Message: "m-" + o.String(), ProviderCode: "C-" + o.String()}
}

// allowed lists every transition a refund may take; TestDecide checks each,
// and every other (status, input) pair must leave the family unchanged.
func allowed() []row {
	full := func(st string) refund.Charge { return parent(st, "0", "100") }
	part := func(st string) refund.Charge { return parent(st, "0", "40") }
	fullVoiding := family("voiding", "void", "100", full("succeeded"))
	partRefunding := family("refunding", "refund", "40", part("settled"))
	fullRefunding := family("refunding", "refund", "100", full("settled"))
	retrying := func(f refund.Family, op string, attempt int) refund.Family {
		f.Refund.RetryOp, f.Refund.RetryAttempt, f.Refund.RetrySince = op, attempt, now
		return f
	}
	failed := func(f refund.Family, c refund.Charge, r *events.Reason) refund.Family {
		f.Refund.Status, f.Refund.Reason, f.Charge = "failed", r, c
		return f
	}
	succeeded := func(f refund.Family, method, ref string, c refund.Charge) refund.Family {
		f.Refund.Status, f.Refund.Method, f.Refund.ProviderReference, f.Charge = "succeeded", method, ref, c
		return f
	}
	moved := func(f refund.Family, status, method string, c refund.Charge) refund.Family {
		f.Refund.Status, f.Refund.Method, f.Charge = status, method, c
		return f
	}
	call := func(op string, recover bool) []effect.Effect {
		return []effect.Effect{effect.Call{Op: op, Recover: recover}}
	}

	return []row{
		// voiding
		{name: "void ok voids the charge", status: "voiding", input: "void ok", prov: saleProv, from: fullVoiding,
			want: succeeded(fullVoiding, "void", "p-void", parent("voided", "100", "0"))},
		{name: "void ok releases an authorized charge", status: "voiding", input: "void ok", prov: releaseProv,
			from: family("voiding", "void", "100", full("authorized")),
			want: succeeded(family("voiding", "void", "100", full("authorized")), "void", "p-void", parent("voided", "100", "0"))},
		{name: "batch closed: settled, refund instead", status: "voiding", input: "void batch closed", prov: saleProv, from: fullVoiding,
			want: moved(fullVoiding, "refunding", "refund", full("settled")), effs: call("refund", false)},
		{name: "batch closed, provider cannot refund: failed", status: "voiding", input: "void batch closed",
			prov: lifecycle.Provider{Name: "voidonly", Void: true}, from: fullVoiding,
			want: failed(fullVoiding, parent("settled", "0", "0"), declined("BatchHasBeenClosed"))},
		{name: "void declined: failed, released", status: "voiding", input: "void declined", prov: saleProv, from: fullVoiding,
			want: failed(fullVoiding, parent("succeeded", "0", "0"), declined("C-declined"))},
		{name: "void failed: failed, released", status: "voiding", input: "void failed", prov: saleProv, from: fullVoiding,
			want: failed(fullVoiding, parent("succeeded", "0", "0"), providerError(lifecycle.Failed))},
		{name: "void not found: failed, released", status: "voiding", input: "void not found", prov: saleProv, from: fullVoiding,
			want: failed(fullVoiding, parent("succeeded", "0", "0"), providerError(lifecycle.NotFound))},
		{name: "void unknown: retry later", status: "voiding", input: "void unknown", prov: saleProv, from: fullVoiding,
			want: retrying(fullVoiding, "void", 1), effs: retryTimer(1, time.Second)},
		{name: "void retry later: retry later", status: "voiding", input: "void retry later", prov: saleProv, from: fullVoiding,
			want: retrying(fullVoiding, "void", 1), effs: retryTimer(1, time.Second)},
		{name: "retry timer: void again, query first", status: "voiding", input: "retry timer", prov: saleProv,
			from: retrying(fullVoiding, "void", 1), want: retrying(fullVoiding, "void", 1), effs: call("void", true)},

		// refunding
		{name: "refund ok, partial", status: "refunding", input: "refund ok", prov: saleProv, from: partRefunding,
			want: succeeded(partRefunding, "refund", "p-refund", parent("partially_refunded", "40", "0"))},
		{name: "refund ok, full", status: "refunding", input: "refund ok", prov: saleProv, from: fullRefunding,
			want: succeeded(fullRefunding, "refund", "p-refund", parent("refunded", "100", "0"))},
		{name: "refund ok, the rest", status: "refunding", input: "refund ok", prov: saleProv,
			from: family("refunding", "refund", "60", parent("partially_refunded", "40", "60")),
			want: succeeded(family("refunding", "refund", "60", parent("partially_refunded", "40", "60")), "refund", "p-refund", parent("refunded", "100", "0"))},
		{name: "refund ok, another still reserved", status: "refunding", input: "refund ok", prov: saleProv,
			from: family("refunding", "refund", "40", parent("settled", "0", "70")),
			want: succeeded(family("refunding", "refund", "40", parent("settled", "0", "70")), "refund", "p-refund", parent("partially_refunded", "40", "30"))},
		{name: "batch open, full: not settled, void instead", status: "refunding", input: "refund batch open", prov: saleProv, from: fullRefunding,
			want: moved(fullRefunding, "voiding", "void", full("succeeded")), effs: call("void", false)},
		{name: "batch open, partial: not settled, deferred", status: "refunding", input: "refund batch open", prov: saleProv, from: partRefunding,
			want: moved(partRefunding, "deferred", "refund", part("succeeded"))},
		{name: "batch open, full, provider cannot void: deferred", status: "refunding", input: "refund batch open", prov: refundOnly, from: fullRefunding,
			want: moved(fullRefunding, "deferred", "refund", full("succeeded"))},
		{name: "batch open after a refund succeeded: contradiction, failed", status: "refunding", input: "refund batch open", prov: saleProv,
			from: family("refunding", "refund", "60", parent("partially_refunded", "40", "60")),
			want: failed(family("refunding", "refund", "60", parent("partially_refunded", "40", "60")), parent("partially_refunded", "40", "0"), declined("BatchHasNotBeenClosed"))},
		{name: "refund declined: failed, released", status: "refunding", input: "refund declined", prov: saleProv, from: partRefunding,
			want: failed(partRefunding, parent("settled", "0", "0"), declined("C-declined"))},
		{name: "refund failed: failed, released", status: "refunding", input: "refund failed", prov: saleProv, from: partRefunding,
			want: failed(partRefunding, parent("settled", "0", "0"), providerError(lifecycle.Failed))},
		{name: "refund not found: failed, released", status: "refunding", input: "refund not found", prov: saleProv, from: partRefunding,
			want: failed(partRefunding, parent("settled", "0", "0"), providerError(lifecycle.NotFound))},
		{name: "refund unknown: retry later", status: "refunding", input: "refund unknown", prov: saleProv, from: partRefunding,
			want: retrying(partRefunding, "refund", 1), effs: retryTimer(1, time.Second)},
		{name: "refund retry later: retry later", status: "refunding", input: "refund retry later", prov: saleProv, from: partRefunding,
			want: retrying(partRefunding, "refund", 1), effs: retryTimer(1, time.Second)},
		{name: "retry timer: refund again, query first", status: "refunding", input: "retry timer", prov: saleProv,
			from: retrying(partRefunding, "refund", 1), want: retrying(partRefunding, "refund", 1), effs: call("refund", true)},

		// deferred
		{name: "parent settled: refund", status: "deferred", input: "parent settled", prov: saleProv,
			from: family("deferred", "refund", "40", part("settled")), want: family("refunding", "refund", "40", part("settled")),
			effs: call("refund", false)},
		{name: "parent settled, partially refunded meanwhile: refund", status: "deferred", input: "parent settled", prov: saleProv,
			from: family("deferred", "refund", "40", parent("partially_refunded", "10", "40")),
			want: family("refunding", "refund", "40", parent("partially_refunded", "10", "40")), effs: call("refund", false)},

		// failed after the retry window: a late approval is still recorded
		{name: "late void ok after retries exhausted", status: "failed", input: "void ok", prov: saleProv,
			from: exhausted(fullVoiding), want: succeeded(fullVoiding, "void", "p-void", parent("voided", "100", "0"))},
		{name: "late refund ok after retries exhausted", status: "failed", input: "refund ok", prov: saleProv,
			from: exhausted(partRefunding), want: succeeded(partRefunding, "refund", "p-refund", parent("partially_refunded", "40", "0"))},
	}
}

func exhausted(f refund.Family) refund.Family {
	f.Refund.Status = "failed"
	f.Refund.Reason = &events.Reason{Code: events.ReasonRetriesExhausted, Message: "x"}
	return f
}

func TestDecide(t *testing.T) {
	for _, tc := range allowed() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.from.Refund.Status != tc.status {
				t.Fatalf("bad row: from %s, status %s", tc.from.Refund.Status, tc.status)
			}
			got, effs, err := refund.Decide(tc.from, tc.prov, inputs[tc.input], now, refund.Policy{})
			if err != nil {
				t.Fatalf("Decide(%s) on %s: %v", tc.input, tc.status, err)
			}
			expectFamily(t, got, tc.want)
			if !reflect.DeepEqual(effs, tc.effs) {
				t.Fatalf("effects %#v, want %#v", effs, tc.effs)
			}
		})
	}
}

// TestDecideForbidden: every (status, input) pair that is not an allowed
// transition changes nothing: ErrIgnored, the family as it was, no effect.
func TestDecideForbidden(t *testing.T) {
	ok := map[string]bool{}
	for _, r := range allowed() {
		ok[r.status+"|"+r.input] = true
	}
	n := 0
	for _, status := range statuses {
		for name, in := range inputs {
			if ok[status+"|"+name] {
				continue
			}
			for _, from := range []refund.Family{
				family(status, "void", "100", parent("succeeded", "0", "100")),
				family(status, "refund", "40", parent("settled", "0", "40")),
			} {
				n++
				got, effs, err := refund.Decide(from, saleProv, in, now, refund.Policy{})
				if !errors.Is(err, lifecycle.ErrIgnored) {
					t.Errorf("%s on a %s refund: err %v, want ErrIgnored", name, status, err)
					continue
				}
				if effs != nil || !reflect.DeepEqual(got.Refund, from.Refund) || !sameCharge(got.Charge, from.Charge) {
					t.Errorf("%s on a %s refund changed it to %+v with %v", name, status, got, effs)
				}
			}
		}
	}
	t.Logf("%d forbidden transitions checked", n)
}

// TestDecideNotYetSettled: a ParentSettled that finds the charge not settled
// (a stale or early notice) leaves the refund deferred.
func TestDecideNotYetSettled(t *testing.T) {
	from := family("deferred", "refund", "40", parent("succeeded", "0", "40"))
	if _, _, err := refund.Decide(from, saleProv, lifecycle.ParentSettled{}, now, refund.Policy{}); !errors.Is(err, lifecycle.ErrIgnored) {
		t.Fatalf("err %v, want ErrIgnored", err)
	}
}

func TestDecideUnknownInput(t *testing.T) {
	_, _, err := refund.Decide(family("voiding", "void", "100", parent("succeeded", "0", "100")), saleProv, "nonsense", now, refund.Policy{})
	if err == nil || errors.Is(err, lifecycle.ErrIgnored) {
		t.Fatalf("err %v, want an error for an unknown input", err)
	}
}

// TestRetryBackOff: unknown outcomes are retried on a durable back-off (1s,
// 2s, 4s… capped at 5m) for at most the retry window; then the refund fails
// retries_exhausted and KEEPS its reservation: the void or refund may have
// happened, and only an operator (or a late approval) can tell.
func TestRetryBackOff(t *testing.T) {
	for _, op := range []string{"void", "refund"} {
		t.Run(op, func(t *testing.T) {
			status := map[string]string{"void": "voiding", "refund": "refunding"}[op]
			f := family(status, op, "100", parent("settled", "0", "100"))
			at := now
			var delays []time.Duration
			for i := 1; ; i++ {
				next, effs, err := refund.Decide(f, saleProv, result(op, lifecycle.Unknown, 0), at, refund.Policy{})
				if err != nil {
					t.Fatal(err)
				}
				if next.Refund.Status == "failed" {
					if at.Sub(now) < time.Hour {
						t.Fatalf("gave up after %v, before the hour", at.Sub(now))
					}
					if next.Refund.Reason == nil || next.Refund.Reason.Code != events.ReasonRetriesExhausted {
						t.Fatalf("reason %+v, want retries_exhausted", next.Refund.Reason)
					}
					if !next.Charge.Reserved.Equal(dec("100")) || effs != nil {
						t.Fatalf("exhausted: reserved %s (want kept at 100), effects %v", next.Charge.Reserved, effs)
					}
					break
				}
				st := effs[0].(effect.SetTimer)
				if st.Attempt != i || st.Kind != refund.TimerRetry {
					t.Fatalf("attempt %d: timer %+v", i, st)
				}
				delays = append(delays, st.At.Sub(at))
				at = st.At
				f, effs, err = refund.Decide(next, saleProv, lifecycle.TimerFired{Kind: refund.TimerRetry, Attempt: i, DueAt: at}, at, refund.Policy{})
				if err != nil || !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: op, Recover: true}}) {
					t.Fatalf("timer %d: %v %v", i, effs, err)
				}
			}
			want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second,
				32 * time.Second, 64 * time.Second, 128 * time.Second, 256 * time.Second, 5 * time.Minute}
			if len(delays) < len(want) || !reflect.DeepEqual(delays[:len(want)], want) {
				t.Fatalf("delays %v, want them to start %v", delays, want)
			}
			for _, d := range delays[len(want):] {
				if d != 5*time.Minute {
					t.Fatalf("delay %v beyond the cap", d)
				}
			}
		})
	}
}

func expectFamily(t *testing.T, got, want refund.Family) {
	t.Helper()
	if !reflect.DeepEqual(got.Refund, want.Refund) || !got.Amount.Equal(want.Amount) || !sameCharge(got.Charge, want.Charge) {
		t.Fatalf("family\n got %s\nwant %s", show(got), show(want))
	}
}

func show(f refund.Family) string {
	return fmt.Sprintf("refund %+v (reason %+v) of %s; charge %s refunded %s reserved %s",
		f.Refund, f.Refund.Reason, f.Amount, f.Charge.Status, f.Charge.Refunded, f.Charge.Reserved)
}

var _ = decimal.Zero

// TestLateApprovalOnlyAfterExhaustion: only a refund that gave up with its
// reservation kept (retries_exhausted) takes a late approval, and only of
// the operation it was carrying out; a declined one has released its
// reservation and ignores it.
func TestLateApprovalOnlyAfterExhaustion(t *testing.T) {
	declinedVoid := family("failed", "void", "100", parent("succeeded", "0", "0"))
	declinedVoid.Refund.Reason = declined("05")
	for name, tc := range map[string]struct {
		from refund.Family
		in   lifecycle.Input
	}{
		"declined, then ok":         {declinedVoid, result("void", lifecycle.OK, 0)},
		"exhausted void, refund ok": {exhausted(family("voiding", "void", "100", parent("succeeded", "0", "100"))), result("refund", lifecycle.OK, 0)},
		"exhausted, then a decline": {exhausted(family("refunding", "refund", "40", parent("settled", "0", "40"))), result("refund", lifecycle.Declined, 0)},
		"exhausted, then unknown":   {exhausted(family("refunding", "refund", "40", parent("settled", "0", "40"))), result("refund", lifecycle.Unknown, 0)},
		"exhausted, then the timer": {exhausted(family("refunding", "refund", "40", parent("settled", "0", "40"))), inputs["retry timer"]},
	} {
		got, effs, err := refund.Decide(tc.from, saleProv, tc.in, now, refund.Policy{})
		if !errors.Is(err, lifecycle.ErrIgnored) || effs != nil || !reflect.DeepEqual(got.Refund, tc.from.Refund) || !sameCharge(got.Charge, tc.from.Charge) {
			t.Errorf("%s: %s, %v, %v; want it ignored", name, show(got), effs, err)
		}
	}
}
