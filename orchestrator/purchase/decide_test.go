package purchase_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/purchase"
)

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

var tokens = []events.UtilityToken{{Token: "1111 2222 3333 4444 5555", TokenType: "STD", Units: "32.5", ReceiptNumber: "R-1",
	Amount: "43.48", Tax: "6.52", TaxRate: "15", Currency: "ZAR", SlipLines: []string{"ELECTRICITY"}}}

func tokensJSON(ts []events.UtilityToken) json.RawMessage {
	b, _ := json.Marshal(ts)
	return b
}

func result(op string, o lifecycle.Outcome, code string) lifecycle.Result {
	return lifecycle.Result{Op: op, Outcome: o, Code: code, Message: "m-" + o.String()}
}

// The inputs a purchase may be given, by name.
var inputs = map[string]lifecycle.Input{
	"purchase ok":                lifecycle.Result{Op: "purchase", Outcome: lifecycle.OK, Data: tokensJSON(tokens)},
	"purchase ok without tokens": lifecycle.Result{Op: "purchase", Outcome: lifecycle.OK, Data: json.RawMessage(`[]`)},
	"purchase declined":          result("purchase", lifecycle.Declined, "METER_BLOCKED"),
	"purchase duplicate":         result("purchase", lifecycle.Declined, "DUPLICATE_RECORD"),
	"purchase failed":            result("purchase", lifecycle.Failed, "AUTHENTICATION_ERROR"),
	"purchase not found":         result("purchase", lifecycle.NotFound, "UNABLE_TO_LOCATE_RECORD"),
	"purchase unknown":           result("purchase", lifecycle.Unknown, ""),
	"purchase retry later":       result("purchase", lifecycle.RetryLater, "UPSTREAM_UNAVAILABLE"),

	"confirm ok":          result("confirm", lifecycle.OK, ""),
	"confirm declined":    result("confirm", lifecycle.Declined, "INVALID_ADVICE"),
	"confirm not found":   result("confirm", lifecycle.NotFound, ""),
	"confirm unknown":     result("confirm", lifecycle.Unknown, ""),
	"confirm retry later": result("confirm", lifecycle.RetryLater, ""),
	"reverse ok":          result("reverse", lifecycle.OK, ""),
	"reverse declined":    result("reverse", lifecycle.Declined, "INVALID_ADVICE"),
	"reverse failed":      result("reverse", lifecycle.Failed, ""),
	"reverse unknown":     result("reverse", lifecycle.Unknown, ""),
	"reverse retry later": result("reverse", lifecycle.RetryLater, ""),

	"retry timer":    lifecycle.TimerFired{Kind: purchase.TimerRetry, Attempt: 1, DueAt: now},
	"advice timer":   lifecycle.TimerFired{Kind: purchase.TimerAdvice, Attempt: 1, DueAt: now},
	"other timer":    lifecycle.TimerFired{Kind: "confirm_deadline", DueAt: now},
	"call cancelled": lifecycle.CallCancelled{Op: "purchase"},
	"settle":         lifecycle.Settle{At: now},
	"parent settled": lifecycle.ParentSettled{},
}

var (
	single = purchase.DefaultSettings()
	dual   = func() purchase.Settings { s := purchase.DefaultSettings(); s.DualMessage = true; return s }()
	resend = func() purchase.Settings { s := purchase.DefaultSettings(); s.ResendOnNotFound = true; return s }()
)

func st(status string, set purchase.Settings) purchase.State {
	return purchase.State{Status: status, Settings: set, Since: now.Add(-10 * time.Second)}
}

func withAttempt(s purchase.State, n int) purchase.State           { s.Attempt = n; return s }
func withSince(s purchase.State, ago time.Duration) purchase.State { s.Since = now.Add(-ago); return s }
func withResent(s purchase.State) purchase.State                   { s.Resent = true; return s }

func withAdvice(s purchase.State, op, status string, attempts int, code string) purchase.State {
	s.Advice = &events.PurchaseAdvice{Op: op, Status: status, Attempts: attempts, Code: code}
	return s
}

func completed(s purchase.State) purchase.State {
	s.Status, s.Tokens = "completed", tokens
	return s
}

func ended(s purchase.State, status, code, providerCode string) purchase.State {
	s.Status = status
	s.Reason = &events.Reason{Code: code, ProviderCode: providerCode, Message: "a reason"}
	return s
}

func retrying(s purchase.State, attempt int) purchase.State {
	s.Status, s.Attempt = "retrying", attempt
	return s
}

func call(op string, recover bool) []effect.Effect {
	return []effect.Effect{effect.Call{Op: op, Recover: recover}}
}

func retryTimer(attempt int, d time.Duration) []effect.Effect {
	return []effect.Effect{effect.SetTimer{Kind: purchase.TimerRetry, At: now.Add(d), Attempt: attempt}}
}

func adviceTimer(attempt int, d time.Duration) []effect.Effect {
	return []effect.Effect{effect.SetTimer{Kind: purchase.TimerAdvice, At: now.Add(d), Attempt: attempt}}
}

// situations are the states the table starts from, by name: a status, and
// what of the purchase's settings, retries and advice matters.
var situations = map[string]purchase.State{
	"pending":                     st("pending", single),
	"submitted":                   st("submitted", single),
	"submitted dual":              st("submitted", dual),
	"submitted resend":            st("submitted", resend),
	"retrying":                    withAttempt(st("retrying", single), 2),
	"retrying dual":               withAttempt(st("retrying", dual), 2),
	"retrying resend":             withAttempt(st("retrying", resend), 2),
	"retrying resent":             withResent(withAttempt(st("retrying", resend), 2)),
	"retrying near horizon":       withSince(withAttempt(st("retrying", single), 6), time.Hour-3*time.Second),
	"retrying at horizon":         withSince(withAttempt(st("retrying", single), 12), time.Hour),
	"retrying at horizon dual":    withSince(withAttempt(st("retrying", dual), 12), time.Hour),
	"completed":                   completed(st("submitted", single)),
	"completed confirm pending":   withAdvice(completed(st("submitted", dual)), "confirm", "pending", 0, ""),
	"completed confirm retrying":  withAdvice(completed(st("submitted", dual)), "confirm", "retrying", 2, ""),
	"completed confirm delivered": withAdvice(completed(st("submitted", dual)), "confirm", "delivered", 1, ""),
	"completed confirm declined":  withAdvice(completed(st("submitted", dual)), "confirm", "declined", 1, "INVALID_ADVICE"),
	"declined":                    ended(st("submitted", single), "declined", "provider_declined", "METER_BLOCKED"),
	"declined reverse pending":    withAdvice(ended(st("submitted", dual), "declined", "provider_declined", "METER_BLOCKED"), "reverse", "pending", 0, ""),
	"declined reverse retrying":   withAdvice(ended(st("submitted", dual), "declined", "provider_declined", "METER_BLOCKED"), "reverse", "retrying", 1, ""),
	"declined reverse delivered":  withAdvice(ended(st("submitted", dual), "declined", "provider_declined", "METER_BLOCKED"), "reverse", "delivered", 1, ""),
	"failed":                      ended(st("retrying", single), "failed", "retries_exhausted", ""),
	"failed reverse pending":      withAdvice(ended(st("retrying", dual), "failed", "retries_exhausted", ""), "reverse", "pending", 3, ""),
	"failed reverse retrying":     withAdvice(ended(st("retrying", dual), "failed", "retries_exhausted", ""), "reverse", "retrying", 3, ""),
	"failed reverse declined":     withAdvice(ended(st("retrying", dual), "failed", "retries_exhausted", ""), "reverse", "declined", 3, "INVALID_ADVICE"),
}

type row struct {
	from, input string
	want        purchase.State
	effs        []effect.Effect
}

// allowed lists every transition a purchase may take; TestDecide checks
// each, and TestDecideForbidden that every other (situation, input) pair
// leaves the purchase unchanged.
func allowed() []row {
	s := func(name string) purchase.State { return situations[name] }
	var rows []row
	// Every purchase result in every in-flight situation: the first
	// attempt's, and the retries' (where the back-off goes on from the
	// attempts made, up to the horizon).
	for _, f := range []struct {
		name    string
		attempt int           // the next retry's attempt
		delay   time.Duration // its delay; 0: the horizon has passed
	}{
		{"submitted", 1, 2 * time.Second}, {"submitted dual", 1, 2 * time.Second}, {"submitted resend", 1, 2 * time.Second},
		{"retrying", 3, 15 * time.Second}, {"retrying dual", 3, 15 * time.Second}, {"retrying resend", 3, 15 * time.Second},
		{"retrying resent", 3, 15 * time.Second},
		{"retrying near horizon", 7, 3 * time.Second}, // 5m is cut to the horizon, 3s away
		{"retrying at horizon", 0, 0}, {"retrying at horizon dual", 0, 0},
	} {
		rows = append(rows, purchaseResults(s(f.name), f.name, f.attempt, f.delay)...)
	}
	for _, name := range []string{"retrying", "retrying dual", "retrying resend", "retrying resent", "retrying near horizon",
		"retrying at horizon", "retrying at horizon dual"} {
		rows = append(rows, row{name, "retry timer", s(name), call("purchase", true)})
	}
	return append(rows, adviceRows()...)
}

// purchaseResults are the rows of the purchase's results in situation base.
func purchaseResults(base purchase.State, name string, attempt int, delay time.Duration) []row {
	dualMode := base.Settings.DualMessage
	// end: the purchase ends; without tokens, a dual-message one is reversed.
	end := func(status, code, providerCode string) (purchase.State, []effect.Effect) {
		st := ended(base, status, code, providerCode)
		if !dualMode {
			return st, nil
		}
		return withAdvice(st, "reverse", "pending", 0, ""), call("reverse", false)
	}
	done := completed(base)
	var doneEffs []effect.Effect
	if dualMode {
		done, doneEffs = withAdvice(done, "confirm", "pending", 0, ""), call("confirm", false)
	}
	again, againEffs := retrying(base, attempt), retryTimer(attempt, delay)
	if delay == 0 {
		again, againEffs = end("failed", "retries_exhausted", "")
	}
	declined, declinedEffs := end("declined", "provider_declined", "METER_BLOCKED")
	notFound, notFoundEffs := end("declined", "provider_declined", "UNABLE_TO_LOCATE_RECORD")
	if base.Settings.ResendOnNotFound && !base.Resent {
		notFound, notFoundEffs = withResent(base), call("purchase", false)
	}
	return []row{
		{name, "purchase ok", done, doneEffs},
		{name, "purchase ok without tokens", again, againEffs},
		{name, "purchase declined", declined, declinedEffs},
		{name, "purchase duplicate", again, againEffs},
		{name, "purchase failed", again, againEffs},
		{name, "purchase not found", notFound, notFoundEffs},
		{name, "purchase unknown", again, againEffs},
		{name, "purchase retry later", again, againEffs},
	}
}

// adviceRows: an advice is delivered on 2xx, declined on 400, otherwise
// repeated on the back-off, store-and-forward, with no horizon.
func adviceRows() []row {
	s := func(name string) purchase.State { return situations[name] }
	var rows []row
	for _, a := range []struct{ from, op, other string }{
		{"completed confirm pending", "confirm", "not found"}, {"declined reverse pending", "reverse", "failed"},
		{"failed reverse pending", "reverse", "failed"},
	} {
		base := s(a.from)
		n := base.Advice.Attempts + 1
		again, timer := withAdvice(base, a.op, "retrying", n, ""), adviceTimer(n, single.Delay(n))
		rows = append(rows,
			row{a.from, a.op + " ok", withAdvice(base, a.op, "delivered", n, ""), nil},
			row{a.from, a.op + " declined", withAdvice(base, a.op, "declined", n, "INVALID_ADVICE"), nil},
			row{a.from, a.op + " unknown", again, timer},
			row{a.from, a.op + " retry later", again, timer},
			row{a.from, a.op + " " + a.other, again, timer},
		)
	}
	for _, a := range []struct{ from, op string }{
		{"completed confirm retrying", "confirm"}, {"declined reverse retrying", "reverse"}, {"failed reverse retrying", "reverse"},
	} {
		base := s(a.from)
		rows = append(rows, row{a.from, "advice timer", withAdvice(base, a.op, "pending", base.Advice.Attempts, ""), call(a.op, false)})
	}
	return rows
}

func TestDecide(t *testing.T) {
	for _, tc := range allowed() {
		t.Run(tc.from+"/"+tc.input, func(t *testing.T) {
			from, ok := situations[tc.from]
			in, known := inputs[tc.input]
			if !ok || !known {
				t.Fatalf("bad row: %q %q", tc.from, tc.input)
			}
			got, effs, err := purchase.Decide(from, in, now)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			expectState(t, got, tc.want)
			if !reflect.DeepEqual(effs, tc.effs) {
				t.Fatalf("effects %#v, want %#v", effs, tc.effs)
			}
			if !reflect.DeepEqual(from, situations[tc.from]) {
				t.Fatalf("Decide changed its input state")
			}
		})
	}
}

// TestDecideForbidden: every (situation, input) pair that is not an allowed
// transition changes nothing: ErrIgnored, the state as it was, no effect.
// Among them: a second set of tokens for a completed purchase.
func TestDecideForbidden(t *testing.T) {
	ok := map[string]bool{}
	for _, r := range allowed() {
		if ok[r.from+"|"+r.input] {
			t.Fatalf("row %s|%s twice", r.from, r.input)
		}
		ok[r.from+"|"+r.input] = true
	}
	n := 0
	for _, name := range sortedKeys(situations) {
		for _, in := range sortedKeys(inputs) {
			if ok[name+"|"+in] {
				continue
			}
			n++
			from := situations[name]
			got, effs, err := purchase.Decide(from, inputs[in], now)
			if !errors.Is(err, lifecycle.ErrIgnored) {
				t.Errorf("%s on %s: err %v, want ErrIgnored", in, name, err)
				continue
			}
			if effs != nil || !reflect.DeepEqual(got, from) {
				t.Errorf("%s on %s changed it to %s with %v", in, name, show(got), effs)
			}
		}
	}
	if n < 300 {
		t.Fatalf("only %d forbidden pairs checked", n)
	}
	t.Logf("%d forbidden transitions checked", n)
}

func TestDecideUnknownInput(t *testing.T) {
	_, _, err := purchase.Decide(situations["submitted"], "nonsense", now)
	if err == nil || errors.Is(err, lifecycle.ErrIgnored) {
		t.Fatalf("err %v, want an error for an unknown input", err)
	}
}

// TestDecideReasons: the reasons say what happened in words, with the
// provider's code.
func TestDecideReasons(t *testing.T) {
	for _, tc := range []struct {
		from, input, code, providerCode, says string
	}{
		{"submitted", "purchase declined", "provider_declined", "METER_BLOCKED", "m-declined"},
		{"retrying", "purchase not found", "provider_declined", "UNABLE_TO_LOCATE_RECORD", "never received"},
		{"retrying resent", "purchase not found", "provider_declined", "UNABLE_TO_LOCATE_RECORD", "sent again"},
		{"retrying at horizon", "purchase unknown", "retries_exhausted", "", "1h0m0s"},
	} {
		got, _, err := purchase.Decide(situations[tc.from], inputs[tc.input], now)
		if err != nil {
			t.Fatal(err)
		}
		r := got.Reason
		if r == nil || r.Code != tc.code || r.ProviderCode != tc.providerCode || !strings.Contains(r.Message, tc.says) {
			t.Errorf("%s on %s: reason %+v, want %s/%s saying %q", tc.input, tc.from, r, tc.code, tc.providerCode, tc.says)
		}
	}
}

// TestRetrySchedule: unknown outcomes are retried with the same id on the
// schedule (2s, 5s, 15s, 1m, 5m, then every 5m), the last retry at the
// horizon (1h), then the purchase fails retries_exhausted.
func TestRetrySchedule(t *testing.T) {
	s := purchase.State{Status: "submitted", Settings: single, Since: now}
	at := now
	var delays []time.Duration
	for i := 1; ; i++ {
		next, effs, err := purchase.Decide(s, result("purchase", lifecycle.Unknown, ""), at)
		if err != nil {
			t.Fatal(err)
		}
		if next.Status == "failed" {
			if at.Sub(now) != time.Hour || next.Reason.Code != events.ReasonRetriesExhausted || effs != nil {
				t.Fatalf("failed after %v with %+v and %v, want retries_exhausted at 1h", at.Sub(now), next.Reason, effs)
			}
			break
		}
		tm := effs[0].(effect.SetTimer)
		if tm.Attempt != i || tm.Kind != purchase.TimerRetry || next.Status != "retrying" {
			t.Fatalf("attempt %d: %s, timer %+v", i, next.Status, tm)
		}
		delays = append(delays, tm.At.Sub(at))
		at = tm.At
		s, effs, err = purchase.Decide(next, lifecycle.TimerFired{Kind: purchase.TimerRetry, Attempt: i, DueAt: at}, at)
		if err != nil || !reflect.DeepEqual(effs, call("purchase", true)) {
			t.Fatalf("timer %d: %v %v", i, effs, err)
		}
	}
	want := []time.Duration{2 * time.Second, 5 * time.Second, 15 * time.Second, time.Minute, 5 * time.Minute}
	for range 10 {
		want = append(want, 5*time.Minute)
	}
	want = append(want, time.Hour-(2+5+15+60+300+10*300)*time.Second)
	if !reflect.DeepEqual(delays, want) {
		t.Fatalf("delays %v, want %v", delays, want)
	}
}

func expectState(t *testing.T, got, want purchase.State) {
	t.Helper()
	g, w := got, want
	if (g.Reason == nil) != (w.Reason == nil) {
		t.Fatalf("state\n got %s\nwant %s", show(got), show(want))
	}
	if g.Reason != nil {
		if g.Reason.Code != w.Reason.Code || g.Reason.ProviderCode != w.Reason.ProviderCode || g.Reason.Message == "" {
			t.Fatalf("reason %+v, want %+v with a message", g.Reason, w.Reason)
		}
		g.Reason, w.Reason = nil, nil
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("state\n got %s\nwant %s", show(got), show(want))
	}
}

func show(s purchase.State) string {
	return fmt.Sprintf("%+v (reason %+v, advice %+v)", s, s.Reason, s.Advice)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestDecideBoundsTokens: the tokens kept are bounded (events.BoundTokens),
// whatever the provider sent.
func TestDecideBoundsTokens(t *testing.T) {
	big := tokens[0]
	big.SlipLines = make([]string, 100)
	got, _, err := purchase.Decide(situations["submitted"], lifecycle.Result{Op: "purchase", Outcome: lifecycle.OK,
		Data: tokensJSON([]events.UtilityToken{big})}, now)
	if err != nil || got.Status != "completed" || len(got.Tokens[0].SlipLines) != events.MaxSlipLines {
		t.Fatalf("%s, %v: want completed with %d slip lines", show(got), err, events.MaxSlipLines)
	}
}
