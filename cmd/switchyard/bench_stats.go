package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// latencySummary is the distribution of one latency, in milliseconds.
type latencySummary struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
	Mean  float64 `json:"mean_ms"`
}

// percentile is the nearest-rank percentile p (0 < p ≤ 100) of sorted: the
// smallest value that at least p% of the values are less than or equal to.
// It is 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(len(sorted)) / 100))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// summarize sorts a copy of ds and returns its distribution.
func summarize(ds []time.Duration) latencySummary {
	s := slices.Clone(ds)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	l := latencySummary{Count: len(s), P50: ms(percentile(s, 50)), P90: ms(percentile(s, 90)),
		P99: ms(percentile(s, 99)), Max: ms(percentile(s, 100))}
	if len(s) > 0 {
		l.Mean = ms(sum / time.Duration(len(s)))
	}
	return l
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Microsecond)) / 1000 }

// benchReport is the final report (stdout: a table, or JSON with --json).
type benchReport struct {
	NATSURL       string                    `json:"nats_url"`
	MerchantID    string                    `json:"merchant_id"`
	Requested     int                       `json:"requested"`
	Concurrency   int                       `json:"concurrency"`
	Scenario      string                    `json:"scenario"`
	Title         string                    `json:"title"`
	Currency      string                    `json:"currency"`
	Amount        string                    `json:"amount"`
	Warmup        int                       `json:"warmup"`
	WarmupFailed  int                       `json:"warmup_failed"`
	Ran           int                       `json:"ran"`
	Completed     int                       `json:"completed"`
	Failed        int                       `json:"failed"`
	Failures      map[string]int            `json:"failures"`
	Reasons       map[string]int            `json:"failure_reasons"`
	WallSeconds   float64                   `json:"wall_seconds"`
	PerSecond     float64                   `json:"lifecycles_per_second"`
	Latency       map[string]latencySummary `json:"latency"`
	EventsSeen    int64                     `json:"events_received"`
	Unrouted      int64                     `json:"events_unrouted"`
	Malformed     int64                     `json:"events_malformed"`
	DroppedEvents int64                     `json:"events_dropped"`
	rows          [3]struct{ key, label string }
}

func newBenchReport(cfg benchConfig, warm, res *phaseResult, r *router) *benchReport {
	rep := &benchReport{NATSURL: cfg.natsURL, MerchantID: cfg.merchantID, Requested: cfg.n, Concurrency: cfg.c,
		Amount: cfg.amount, Warmup: cfg.warmup, WarmupFailed: warm.failed(), Failures: map[string]int{},
		Reasons: map[string]int{}, WallSeconds: res.wall.Seconds(), EventsSeen: r.received.Load(),
		Unrouted: r.unrouted.Load(), Malformed: r.malformed.Load(),
		DroppedEvents: int64(res.droppedEvents) + r.overrun.Load()}
	var total, auth, conf []time.Duration
	for _, o := range res.outcomes {
		switch {
		case !o.ran:
		case o.ok():
			rep.Completed++
			total, auth, conf = append(total, o.total), append(auth, o.authorize), append(conf, o.confirm)
		default:
			rep.Failed++
			rep.Failures[o.kind]++
			rep.Reasons[o.reason]++
		}
	}
	rep.Ran = rep.Completed + rep.Failed
	if res.wall > 0 {
		rep.PerSecond = math.Round(float64(rep.Completed)/res.wall.Seconds()*10) / 10
	}
	rows := cfg.scenario.rows
	rep.Scenario, rep.Title, rep.Currency, rep.rows = cfg.scenario.name, cfg.scenario.title, cfg.scenario.currency, rows
	rep.Latency = map[string]latencySummary{rows[0].key: summarize(total),
		rows[1].key: summarize(auth), rows[2].key: summarize(conf)}
	return rep
}

func (rep *benchReport) write(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "switchyard bench: %s, concurrency %d, amount %s %s, warmup %d\n\n",
		rep.Title, rep.Concurrency, rep.Amount, rep.Currency, rep.Warmup)
	fmt.Fprintf(tw, "completed\t%d of %d\n", rep.Completed, rep.Requested)
	fmt.Fprintf(tw, "failed\t%s\n", strings.TrimSpace(fmt.Sprintf("%d  %s", rep.Failed, countList(rep.Failures))))
	if rep.WarmupFailed > 0 {
		fmt.Fprintf(tw, "warmup failed\t%d\n", rep.WarmupFailed)
	}
	fmt.Fprintf(tw, "wall time\t%.3f s\n", rep.WallSeconds)
	fmt.Fprintf(tw, "throughput\t%.1f lifecycles/s\n", rep.PerSecond)
	if rep.DroppedEvents > 0 {
		fmt.Fprintf(tw, "events dropped\t%d  (slow consumer: lifecycles may have timed out for it)\n", rep.DroppedEvents)
	}
	if rep.Completed > 0 {
		rep.writeLatency(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeReasons(w, rep.Reasons)
}

func (rep *benchReport) writeLatency(tw io.Writer) {
	fmt.Fprintf(tw, "\nlatency (ms)\t%9s%9s%9s%9s%9s\n", "p50", "p90", "p99", "max", "mean")
	for _, row := range rep.rows {
		l := rep.Latency[row.key]
		fmt.Fprintf(tw, "%s\t%9.1f%9.1f%9.1f%9.1f%9.1f\n", row.label, l.P50, l.P90, l.P99, l.Max, l.Mean)
	}
}

// byCount is m's keys, largest count first.
func byCount(m map[string]int) []string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	return keys
}

// countList is "declined 2, timeout 1", largest first.
func countList(m map[string]int) string {
	parts := make([]string, 0, len(m))
	for _, k := range byCount(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// writeReasons lists the five most frequent failure reasons.
func writeReasons(w io.Writer, reasons map[string]int) error {
	keys := byCount(reasons)
	if len(keys) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\nfailure reasons:")
	for _, k := range keys[:min(5, len(keys))] {
		fmt.Fprintf(w, "  %6d  %s\n", reasons[k], k)
	}
	if len(keys) > 5 {
		fmt.Fprintf(w, "  … and %d other reasons\n", len(keys)-5)
	}
	return nil
}
