package providertest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/simulator"
)

// Case is one provider call under test.
type Case struct {
	// Path is where the call's request goes on the simulator's harness, as
	// a fault path: a prefix, or a path.Match pattern when it holds a '*'.
	Path string
	// Method, when set, narrows the faults to that HTTP method.
	Method string
	// Timeout is the client's time-out. Every call must come back within
	// it (plus scheduling slack); the delay fault holds the answer ten times
	// as long.
	Timeout time.Duration
	// Statuses overrides or extends CommonStatuses: the kind the call
	// returns when the harness answers with that HTTP status without acting.
	Statuses map[int]provider.Kind
	// Setup starts a fresh simulator behind a real listener, with a client
	// whose time-out is Timeout, and returns the call under test. Each row
	// calls it once, so that rows share no state and run in parallel.
	Setup func(t *testing.T) Rig
	// Refused makes the same call with a client whose base URL is baseURL,
	// a 127.0.0.1 port nothing listens on.
	Refused func(ctx context.Context, baseURL string) error
}

// Rig is one fresh simulator and the call under test, from Case.Setup.
type Rig struct {
	Harness *simulator.Harness
	// Call makes the call once, under ctx.
	Call func(ctx context.Context) error
	// Landed, when set, reports whether the provider acted on the call
	// (the charge exists, the code was created, ...).
	Landed func(t *testing.T) bool
	// Recover, when set, runs after every row that ended KindUnknown: the
	// provider's recovery rule, told whether the call had landed.
	Recover func(t *testing.T, landed bool)
}

// CommonStatuses is the table most providers document for an answer that
// did not act: 500 is a reported failure; 502, 503 and 504 may hide an
// upstream that acted, so they are unknown (provider.Caller.StatusError).
func CommonStatuses() map[int]provider.Kind {
	return map[int]provider.Kind{
		500: provider.KindFailed,
		502: provider.KindUnknown,
		503: provider.KindUnknown,
		504: provider.KindUnknown,
	}
}

// slack is what a loaded machine may add to the client's time-out.
const slack = 2 * time.Second

// row is one fault of the suite and what it must produce.
type row struct {
	name   string
	fault  simulator.Fault
	kind   provider.Kind
	status int  // HTTP status in the error, 0 when there was no answer
	landed bool // the provider acted before the fault
}

func (c Case) rows() []row {
	rows := []row{
		{name: "delay past time-out", fault: simulator.Fault{DelayMS: int((10 * c.Timeout).Milliseconds())},
			kind: provider.KindUnknown, landed: true},
		{name: "drop after acting", fault: simulator.Fault{Drop: true}, kind: provider.KindUnknown, landed: true},
		{name: "lost request", fault: simulator.Fault{Lose: true}, kind: provider.KindUnknown},
	}
	statuses := CommonStatuses()
	maps.Copy(statuses, c.Statuses)
	for _, st := range slices.Sorted(maps.Keys(statuses)) {
		rows = append(rows, row{name: fmt.Sprintf("HTTP %d", st), fault: simulator.Fault{Status: st},
			kind: statuses[st], status: st})
	}
	for i := range rows {
		rows[i].fault.Path, rows[i].fault.Method = c.Path, c.Method
	}
	return rows
}

// RunOutcomeSuite runs, as parallel subtests of t, every fault row against
// a fresh rig from c.Setup, then the call against a refused connection.
func RunOutcomeSuite(t *testing.T, c Case) {
	t.Helper()
	if c.Path == "" || c.Timeout <= 0 || c.Setup == nil || c.Refused == nil {
		t.Fatal("providertest: a Case needs Path, Timeout, Setup and Refused")
	}
	for _, r := range c.rows() {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			c.runFault(t, r)
		})
	}
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		base := RefusedURL(t)
		c.call(t, func(ctx context.Context) error { return c.Refused(ctx, base) }, provider.KindFailed, 0)
	})
}

func (c Case) runFault(t *testing.T, r row) {
	rig := c.Setup(t)
	before := sent(rig.Harness, r.fault)
	rig.Harness.Arm(r.fault)
	c.call(t, rig.Call, r.kind, r.status)
	sentOnce(t, rig.Harness, r.fault, before)
	if rig.Landed != nil {
		checkLanded(t, rig.Landed, r.landed)
	}
	if r.kind == provider.KindUnknown && rig.Recover != nil {
		rig.Recover(t, r.landed)
	}
}

// call makes one call and checks its error and how long it took. A
// backstop deadline keeps a client without a time-out from hanging the test.
func (c Case) call(t *testing.T, call func(context.Context) error, kind provider.Kind, status int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), c.Timeout+2*slack)
	defer cancel()
	start := time.Now()
	err := call(ctx)
	took := time.Since(start)
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *provider.Error of kind %s", err, err, kind)
	}
	if pe.Kind != kind || pe.Status != status {
		t.Fatalf("kind %s HTTP %d, want %s HTTP %d: %v", pe.Kind, pe.Status, kind, status, err)
	}
	if took > c.Timeout+slack {
		t.Fatalf("the call took %v: the client time-out %v was not applied", took, c.Timeout)
	}
}

// sentOnce waits until the request the fault fired on is logged, then
// checks that the client did not send it again.
func sentOnce(t *testing.T, h *simulator.Harness, f simulator.Fault, before int) {
	t.Helper()
	deadline := time.Now().Add(slack)
	n := sent(h, f) - before
	for ; n == 0 && time.Now().Before(deadline); n = sent(h, f) - before {
		time.Sleep(5 * time.Millisecond)
	}
	if n != 1 {
		t.Fatalf("%d requests to %s logged, want 1: an unclear outcome must not be repeated",
			n, strings.TrimSpace(f.Method+" "+f.Path))
	}
}

// sent counts the logged requests the fault would match.
func sent(h *simulator.Harness, f simulator.Fault) int {
	n := 0
	for _, e := range h.Log().Entries() {
		if f.Method != "" && !strings.EqualFold(f.Method, e.Method) {
			continue
		}
		if matchPath(f.Path, e.Path) {
			n++
		}
	}
	return n
}

// matchPath is the harness's rule: a path.Match pattern when it holds a
// '*', a prefix otherwise.
func matchPath(pattern, p string) bool {
	if strings.Contains(pattern, "*") {
		ok, _ := path.Match(pattern, p)
		return ok
	}
	return strings.HasPrefix(p, pattern)
}

// checkLanded polls landed until it agrees with want: a provider that acts
// before a delay may still be acting when the client gives up.
func checkLanded(t *testing.T, landed func(*testing.T) bool, want bool) {
	t.Helper()
	if !want {
		if landed(t) {
			t.Fatal("the provider acted on a request the fault kept from it")
		}
		return
	}
	deadline := time.Now().Add(slack)
	for !landed(t) {
		if time.Now().After(deadline) {
			t.Fatal("the provider did not act on a request it received before the fault")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// RefusedURL returns the base URL of a 127.0.0.1 port that was just closed,
// where a connection is refused.
func RefusedURL(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}
