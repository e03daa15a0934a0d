package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
)

func msList(vs ...int) []time.Duration {
	out := make([]time.Duration, len(vs))
	for i, v := range vs {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		values []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value p50", msList(7), 50, 7 * time.Millisecond},
		{"one value p99", msList(7), 99, 7 * time.Millisecond},
		{"1..100 p50", msList(hundred...), 50, 50 * time.Millisecond},
		{"1..100 p90", msList(hundred...), 90, 90 * time.Millisecond},
		{"1..100 p99", msList(hundred...), 99, 99 * time.Millisecond},
		{"1..100 max", msList(hundred...), 100, 100 * time.Millisecond},
		{"nearest rank rounds up", msList(10, 20, 30, 40), 50, 20 * time.Millisecond},
		{"just past a rank", msList(10, 20, 30, 40), 51, 30 * time.Millisecond},
		{"p99 of ten is the max", msList(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"tiny p is the min", msList(5, 6, 7), 0.1, 5 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.values, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tt.values, tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarizeSortsACopy(t *testing.T) {
	in := msList(40, 10, 30, 20, 1000)
	got := summarize(in)
	want := latencySummary{Count: 5, P50: 30, P90: 1000, P99: 1000, Max: 1000, Mean: 220}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	if in[0] != 40*time.Millisecond {
		t.Errorf("summarize reordered its input: %v", in)
	}
	if z := summarize(nil); z != (latencySummary{}) {
		t.Errorf("summarize(nil) = %+v, want zero", z)
	}
}

func TestFailureKind(t *testing.T) {
	tests := []struct {
		typ, causation, cmd, want string
	}{
		{"charge.authorized", "c1", "c1", ""},
		{"charge.pending", "c1", "c1", ""},
		{"charge.confirming", "c2", "c2", ""},
		{"charge.declined", "c1", "c1", failDeclined},
		{"charge.failed", "c1", "c1", failFailed},
		{"charge.reversing", "timer", "c2", failReversed},
		{"charge.reversed", "c1", "c2", failReversed},
		{"command.rejected", "c2", "c2", failRejected},
		{"command.rejected", "c1", "c2", ""}, // not the command being waited on
	}
	for _, tt := range tests {
		ev := &events.Event{Type: tt.typ, CausationID: tt.causation}
		if got := failureKind(ev, tt.cmd); got != tt.want {
			t.Errorf("failureKind(%s caused by %s, waiting on %s) = %q, want %q", tt.typ, tt.causation, tt.cmd, got, tt.want)
		}
	}
}

func TestBenchReport(t *testing.T) {
	res := &phaseResult{wall: 2 * time.Second, outcomes: []outcome{
		{ran: true, total: 100 * time.Millisecond, authorize: 60 * time.Millisecond, confirm: 40 * time.Millisecond},
		{ran: true, total: 300 * time.Millisecond, authorize: 200 * time.Millisecond, confirm: 100 * time.Millisecond},
		{ran: true, kind: failDeclined, reason: "charge.declined provider_declined 51"},
		{ran: true, kind: failTimeout, reason: "timed out waiting for charge.confirmed"},
		{}, // never ran (interrupted)
	}}
	cfg := benchConfig{n: 5, c: 2, amount: "10.00", scenario: scenarioOno}
	rep := newBenchReport(cfg, &phaseResult{}, res, newRouter())
	if rep.Completed != 2 || rep.Failed != 2 || rep.Ran != 4 || rep.PerSecond != 1 {
		t.Fatalf("completed %d failed %d ran %d rate %v, want 2 2 4 1", rep.Completed, rep.Failed, rep.Ran, rep.PerSecond)
	}
	if rep.Failures[failDeclined] != 1 || rep.Failures[failTimeout] != 1 {
		t.Errorf("failures = %v", rep.Failures)
	}
	if l := rep.Latency["lifecycle"]; l.P50 != 100 || l.Max != 300 || l.Count != 2 {
		t.Errorf("lifecycle latency = %+v", l)
	}
	var table bytes.Buffer
	if err := rep.write(&table, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"completed", "2 of 5", "declined 1, timeout 1", "create → authorized",
		"charge.declined provider_declined 51"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	var js bytes.Buffer
	if err := rep.write(&js, true); err != nil {
		t.Fatal(err)
	}
	var back benchReport
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Completed != 2 || back.Latency["confirm_to_confirmed"].Max != 100 {
		t.Errorf("JSON round trip: %v, %+v", err, back)
	}
}
