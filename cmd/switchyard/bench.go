package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
)

// benchConfig is what `switchyard bench` runs.
type benchConfig struct {
	devDir     string
	natsURL    string
	merchantID string
	// apiKey connects as the merchant (user: its id), the way a merchant's
	// system does; else natsUser/natsPassword (the service), if set.
	apiKey, natsUser, natsPassword string
	n, c                           int
	warmup                         int
	amount                         string
	timeout                        time.Duration
	jsonOut                        bool
	quiet                          bool // no progress lines (go test -bench)
	scenario                       *scenario
}

const benchCard = `{"type":"card","card_number":"4111111111111111"}`

func runBench(ctx context.Context, args []string) error {
	cfg, err := parseBenchFlags(args)
	if err != nil {
		return err
	}
	nc, err := nats.Connect(cfg.natsURL, append([]nats.Option{nats.Name("switchyard-bench")}, cfg.natsAuth()...)...)
	if err != nil {
		return fmt.Errorf("bench: nats connect %s: %w", cfg.natsURL, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	b := &bencher{cfg: cfg, js: js, runID: uuid.NewString()[:8], router: newRouter()}
	sub, err := b.router.subscribe(nc, cfg.merchantID)
	if err != nil {
		return err
	}
	defer func() { _ = sub.Unsubscribe() }()
	warm := b.phase(ctx, "warmup", cfg.warmup, 0)
	res := b.phase(ctx, "bench", cfg.n, cfg.warmup)
	res.droppedEvents, _ = sub.Dropped()
	rep := newBenchReport(cfg, warm, res, b.router)
	if err := rep.write(os.Stdout, cfg.jsonOut); err != nil {
		return err
	}
	return benchVerdict(ctx, warm, res)
}

// parseBenchFlags reads the flags and, unless both --nats-url and
// --merchant-id are given, fills the rest from <dev-dir>/dev.json.
func parseBenchFlags(args []string) (benchConfig, error) {
	var c benchConfig
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&c.devDir, "dev-dir", ".switchyard", "data dir of a running switchyard dev (bench reads its dev.json)")
	fs.StringVar(&c.natsURL, "nats-url", "", "NATS URL (default: from dev.json)")
	fs.StringVar(&c.merchantID, "merchant-id", "", "merchant whose charges are driven (default: dev's demo merchant)")
	fs.StringVar(&c.apiKey, "api-key", "", "the merchant's API key: bench connects to NATS as the merchant (default: the demo merchant's)")
	fs.StringVar(&c.natsUser, "nats-user", "", "NATS user when no --api-key is given (default: dev's service user)")
	fs.StringVar(&c.natsPassword, "nats-password", "", "password of --nats-user")
	fs.IntVar(&c.n, "n", 2000, "lifecycles to measure")
	fs.IntVar(&c.c, "c", 64, "lifecycles in flight at once")
	fs.IntVar(&c.warmup, "warmup", 100, "lifecycles run first and left out of the figures")
	fs.StringVar(&c.amount, "amount", "", "amount of each charge (default 10.00; onoconnect's simulator declines cents 51 or 05)")
	fs.DurationVar(&c.timeout, "timeout", 60*time.Second, "longest a lifecycle may take before it counts as timed out")
	fs.BoolVar(&c.jsonOut, "json", false, "print the report as JSON")
	scn := fs.String("scenario", scenarioOno.name, "what each lifecycle is: "+scenarioNames())
	if err := parseFlags(fs, args); err != nil {
		return c, err
	}
	if c.scenario = scenarioByName(*scn); c.scenario == nil {
		return c, fmt.Errorf("bench: --scenario %q: want one of %s", *scn, scenarioNames())
	}
	if c.amount == "" {
		c.amount = c.scenario.amount
	}
	if err := c.fillFromDev(); err != nil {
		return c, err
	}
	return c, c.validate()
}

func (c *benchConfig) fillFromDev() error {
	if c.natsURL != "" && c.merchantID != "" {
		return nil
	}
	path := filepath.Join(c.devDir, "dev.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("bench: %w (start `switchyard dev`, or give --nats-url and --merchant-id)", err)
	}
	var info devInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return fmt.Errorf("bench: %s: %w", path, err)
	}
	if c.natsURL == "" {
		c.natsURL = info.NATSURL
	}
	if c.merchantID == "" {
		c.merchantID = info.MerchantID
		if c.apiKey == "" {
			c.apiKey = info.APIKey
		}
	}
	if c.natsUser == "" {
		c.natsUser, c.natsPassword = info.NATSUser, info.NATSPassword
	}
	return nil
}

// natsAuth are the options connecting as the merchant, or as --nats-user.
func (c *benchConfig) natsAuth() []nats.Option {
	if c.apiKey != "" {
		return []nats.Option{nats.UserInfo(c.merchantID, c.apiKey), nats.CustomInboxPrefix("_INBOX_" + c.merchantID)}
	}
	return userOption(c.natsUser, c.natsPassword)
}

func (c *benchConfig) validate() error {
	switch {
	case c.natsURL == "" || c.merchantID == "":
		return errors.New("bench: need a NATS URL and a merchant id")
	case uuid.Validate(c.merchantID) != nil:
		return fmt.Errorf("bench: --merchant-id %q is not a UUID", c.merchantID)
	case c.n < 1 || c.c < 1 || c.warmup < 0:
		return errors.New("bench: -n and -c must be at least 1, --warmup at least 0")
	case c.timeout <= 0:
		return errors.New("bench: --timeout must be positive")
	}
	_, err := events.ParseAmount("--amount", c.amount, c.scenario.currency, false)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// benchVerdict is the exit status: an error when anything failed.
func benchVerdict(ctx context.Context, warm, res *phaseResult) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bench: interrupted: %w", err)
	}
	if res.abort != nil {
		return res.abort
	}
	if f := res.failed() + warm.failed(); f > 0 {
		return fmt.Errorf("bench: %d lifecycles failed or timed out", f)
	}
	return nil
}

// bencher drives lifecycles.
type bencher struct {
	cfg    benchConfig
	js     jetstream.JetStream
	runID  string
	router *router
}

// phaseResult holds the outcome of every lifecycle of one phase.
type phaseResult struct {
	name          string
	n             int
	outcomes      []outcome
	wall          time.Duration
	abort         error
	droppedEvents int
}

func (r *phaseResult) failed() int {
	f := 0
	for _, o := range r.outcomes {
		if o.ran && !o.ok() {
			f++
		}
	}
	return f
}

// phase runs n lifecycles, numbered from first, cfg.c at a time, printing
// progress on stderr once a second.
func (b *bencher) phase(ctx context.Context, name string, n, first int) *phaseResult {
	res := &phaseResult{name: name, n: n, outcomes: make([]outcome, n)}
	if n == 0 {
		return res
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next, done, failed atomic.Int64
	stopProgress := func() {}
	if !b.cfg.quiet {
		stopProgress = progress(name, n, &done, &failed)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range min(b.cfg.c, n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				o := b.lifecycle(ctx, first+i)
				res.outcomes[i] = o
				done.Add(1)
				if !o.ok() {
					failed.Add(1)
					b.maybeAbort(o, cancel)
				}
			}
		})
	}
	wg.Wait()
	res.wall = time.Since(start)
	stopProgress()
	res.abort = context.Cause(ctx)
	if errors.Is(res.abort, context.Canceled) {
		res.abort = nil // cancelled from outside: benchVerdict says so
	}
	return res
}

// maybeAbort stops the run when a lifecycle timed out and not a single event
// has arrived: nothing is answering, and waiting out every timeout helps no one.
func (b *bencher) maybeAbort(o outcome, cancel context.CancelCauseFunc) {
	if o.kind == failTimeout && b.router.received.Load() == 0 {
		cancel(fmt.Errorf("bench: no event on %s within %s: is switchyard running (intake, workers, relay)?",
			events.MerchantEvents(b.cfg.merchantID), b.cfg.timeout))
	}
}

// progress prints done/n and the rate of the last second on stderr until the
// returned func is called: one live line on a terminal, a line a second
// otherwise (a log).
func progress(name string, n int, done, failed *atomic.Int64) (stop func()) {
	quit, finished := make(chan struct{}), make(chan struct{})
	live := isTerminal(os.Stderr)
	go func() {
		defer close(finished)
		if live {
			defer fmt.Fprintln(os.Stderr)
		}
		t := time.NewTicker(time.Second)
		defer t.Stop()
		last, lastAt := int64(0), time.Now()
		for {
			select {
			case <-quit:
				return
			case now := <-t.C:
				d := done.Load()
				rate := float64(d-last) / now.Sub(lastAt).Seconds()
				line := fmt.Sprintf("%s: %d/%d done, %d failed, %.0f/s", name, d, n, failed.Load(), rate)
				if live {
					fmt.Fprint(os.Stderr, "\r\x1b[K"+line)
				} else {
					fmt.Fprintln(os.Stderr, line)
				}
				last, lastAt = d, now
			}
		}
	}()
	return func() { close(quit); <-finished }
}

// Failure kinds of a lifecycle.
const (
	failDeclined = "declined"
	failFailed   = "failed"
	failReversed = "reversed"
	failRejected = "rejected"
	failTimeout  = "timeout"
	failPublish  = "publish_error"
	failCanceled = "canceled"
)

// outcome is one lifecycle's result. kind is empty when it was confirmed.
type outcome struct {
	ran          bool
	kind, reason string
	total        time.Duration // create published → confirmed received
	authorize    time.Duration // create published → authorized received
	confirm      time.Duration // confirm published → confirmed received
}

func (o outcome) ok() bool { return o.kind == "" }

// stepError ends a lifecycle early.
type stepError struct{ kind, reason string }

func (e *stepError) Error() string { return e.kind + ": " + e.reason }

func (o outcome) fail(err error) outcome {
	var se *stepError
	if errors.As(err, &se) {
		o.kind, o.reason = se.kind, se.reason
	} else {
		o.kind, o.reason = failPublish, err.Error()
	}
	return o
}

// lifecycle runs one lifecycle of the configured scenario.
func (b *bencher) lifecycle(ctx context.Context, i int) outcome { return b.cfg.scenario.run(b, ctx, i) }

// onoLifecycle publishes charge.create, waits for charge.authorized,
// publishes charge.confirm and waits for charge.confirmed.
func (b *bencher) onoLifecycle(ctx context.Context, i int) outcome {
	ref := fmt.Sprintf("bench-%s-%d", b.runID, i)
	createID, confirmID := ref+"-create", ref+"-confirm"
	w := &waiter{ch: make(chan arrival, 16)}
	b.router.add(w, createID, confirmID)
	defer b.router.remove(createID, confirmID)
	ctx, cancel := context.WithTimeout(ctx, b.cfg.timeout)
	defer cancel()
	o := outcome{ran: true}
	t0 := time.Now()
	err := b.publish(ctx, createID, events.ChargeCreate, events.ChargeCreateData{
		Provider: events.ProviderOnoConnect, Amount: b.cfg.amount, Currency: b.cfg.scenario.currency, Reference: ref,
		PaymentMethod: json.RawMessage(benchCard), Metadata: map[string]string{"bench_run": b.runID}})
	if err != nil {
		return o.fail(err)
	}
	ev, at, err := w.await(ctx, events.EventType(events.TypeCharge, events.StatusAuthorized), createID)
	if err != nil {
		return o.fail(err)
	}
	o.authorize = at.Sub(t0)
	b.router.add(w, ev.Subject) // events caused by neither command (timers) carry the transaction id
	defer b.router.remove(ev.Subject)
	t2 := time.Now()
	err = b.publish(ctx, confirmID, events.ChargeConfirm, events.ChargeConfirmData{TransactionID: ev.Subject})
	if err != nil {
		return o.fail(err)
	}
	if _, at, err = w.await(ctx, events.EventType(events.TypeCharge, events.StatusConfirmed), confirmID); err != nil {
		return o.fail(err)
	}
	o.confirm, o.total = at.Sub(t2), at.Sub(t0)
	return o
}

// publish sends a command envelope with Nats-Msg-Id = id and waits for the
// stream's ack.
func (b *bencher) publish(ctx context.Context, id, typ string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	env, err := json.Marshal(events.Command{SpecVersion: events.SpecVersion, ID: id, Source: "switchyard-bench",
		Type: typ, DataContentType: "application/json", Time: &now, Data: raw})
	if err != nil {
		return err
	}
	if _, err := b.js.Publish(ctx, events.CommandSubject(b.cfg.merchantID, typ), env, jetstream.WithMsgID(id)); err != nil {
		if ctx.Err() != nil {
			return ctxStepError(ctx, "publishing "+typ)
		}
		return fmt.Errorf("publish %s: %w", typ, err)
	}
	return nil
}

// arrival is an event and when the bench received it.
type arrival struct {
	ev *events.Event
	at time.Time
}

// waiter receives the events routed to one lifecycle.
type waiter struct{ ch chan arrival }

// await returns the first event of type want (any event that does not end
// the lifecycle when want is ""); an event saying the lifecycle
// cannot get there (declined, failed, reversed, or the command cmdID
// rejected) ends the wait with a *stepError, as does ctx.
func (w *waiter) await(ctx context.Context, want, cmdID string) (*events.Event, time.Time, error) {
	for {
		select {
		case <-ctx.Done():
			return nil, time.Time{}, ctxStepError(ctx, "waiting for "+want)
		case a := <-w.ch:
			if a.ev.Type == want || want == "" && failureKind(a.ev, cmdID) == "" {
				return a.ev, a.at, nil
			}
			if kind := failureKind(a.ev, cmdID); kind != "" {
				return nil, time.Time{}, &stepError{kind: kind, reason: eventReason(a.ev)}
			}
		}
	}
}

func ctxStepError(ctx context.Context, doing string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &stepError{kind: failTimeout, reason: "timed out " + doing}
	}
	return &stepError{kind: failCanceled, reason: "cancelled " + doing}
}

// failureKind says whether ev ends a lifecycle waiting on command cmdID:
// any transaction of it declined, failed or reversed, or the command
// rejected.
func failureKind(ev *events.Event, cmdID string) string {
	if ev.Type == events.CommandRejected {
		if ev.CausationID == cmdID {
			return failRejected
		}
		return ""
	}
	_, status, _ := strings.Cut(ev.Type, ".")
	switch status {
	case events.StatusDeclined:
		return failDeclined
	case events.StatusFailed:
		return failFailed
	case events.StatusReversing, events.StatusReversed:
		return failReversed
	}
	return ""
}

// eventReason is "<type> <reason code> [<provider code>]" for the report.
func eventReason(ev *events.Event) string {
	r := ev.Data.Reason
	if r == nil && ev.Data.Transaction != nil {
		r = ev.Data.Transaction.Reason
	}
	switch {
	case r == nil:
		return ev.Type
	case r.ProviderCode != "":
		return ev.Type + " " + r.Code + " " + r.ProviderCode
	default:
		return ev.Type + " " + r.Code
	}
}

// router routes the events of one subscription to waiting lifecycles by
// causationid, else by subject (the transaction id).
type router struct {
	mu                                     sync.Mutex
	routes                                 map[string]*waiter
	received, unrouted, malformed, overrun atomic.Int64
}

func newRouter() *router { return &router{routes: map[string]*waiter{}} }

// subscribe opens the one core subscription on the merchant's events and
// makes sure the server has it before anything is published.
func (r *router) subscribe(nc *nats.Conn, merchantID string) (*nats.Subscription, error) {
	sub, err := nc.Subscribe(events.MerchantEvents(merchantID), r.handle)
	if err != nil {
		return nil, fmt.Errorf("bench: subscribe: %w", err)
	}
	if err := sub.SetPendingLimits(1<<20, 1<<30); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if err := nc.Flush(); err != nil {
		return nil, fmt.Errorf("bench: subscribe: %w", err)
	}
	return sub, nil
}

func (r *router) add(w *waiter, keys ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range keys {
		r.routes[k] = w
	}
}

func (r *router) remove(keys ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range keys {
		delete(r.routes, k)
	}
}

func (r *router) lookup(keys ...string) *waiter {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range keys {
		if w := r.routes[k]; k != "" && w != nil {
			return w
		}
	}
	return nil
}

func (r *router) handle(m *nats.Msg) {
	at := time.Now()
	r.received.Add(1)
	var ev events.Event
	if err := json.Unmarshal(m.Data, &ev); err != nil {
		r.malformed.Add(1)
		return
	}
	w := r.lookup(ev.CausationID, ev.Subject)
	if w == nil {
		r.unrouted.Add(1) // another client's, or late
		return
	}
	select {
	case w.ch <- arrival{ev: &ev, at: at}:
	default:
		r.overrun.Add(1)
	}
}
