//go:build linux

package main

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
)

// The payment-code crash test. The provider's create is not idempotent and
// has no lookup by merchant reference, so a create whose answer was lost is
// never sent again: it ends failed (provider_timeout), and the orphan code
// the provider may have made lapses at its expiry. Through a real
// `switchyard dev` with the simulator in its own process: the first codes
// are created and answered; then the provider acts on creates at once and
// answers late, and SIGKILL comes once it has acted on some it has not
// answered. After the restart every command is sent again: the answered codes
// are still active (never lost), the ones in flight at the kill are failed
// with provider_timeout, the rest are active, and the provider got at most
// one create per merchant reference.
const (
	codeCrashAnswered = 10
	codeCrashLate     = 20
	codeCrashInCalls  = 4
)

func TestCrashRecoveryCodeCreate(t *testing.T) {
	rig := newCrashRig(t, "--codes-url", "/codes")
	db, sim := rig.db, rig.sim
	dev1, info := rig.start(t, "dev#1")
	ctx, cancel := context.WithCancel(t.Context())
	js := connectJS(t, info)

	publishCodes(ctx, t, js, info.MerchantID, 0, codeCrashAnswered)
	waitFor(t, 30*time.Second, "the first codes active", dev1, func() (bool, string) {
		n := countStatus(t, db, events.TypeCode, events.StatusActive)
		return n == codeCrashAnswered, strconv.Itoa(n)
	})
	simArmAt(t, sim.url, "/codes", fmt.Sprintf(`{"path":"/code/create","method":"POST","delay_ms":5000,"count":%d}`, codeCrashLate))
	publishCodes(ctx, t, js, info.MerchantID, codeCrashAnswered, codeCrashAnswered+codeCrashLate)
	waitFor(t, 30*time.Second, "late creates acted on at the provider", dev1, func() (bool, string) {
		n := len(simCreatesByReference(t, sim.url)) - codeCrashAnswered
		return n >= codeCrashInCalls, strconv.Itoa(n)
	})
	inflight := len(simCreatesByReference(t, sim.url)) - codeCrashAnswered
	dev1.kill(t)
	cancel()
	simDisarmAt(t, sim.url, "/codes")
	t.Logf("SIGKILL with %d creates acted on at the provider and not yet answered", inflight)

	restarted := time.Now()
	dev2, info2 := rig.start(t, "dev#2")
	ctx2, cancel2 := context.WithCancel(t.Context())
	defer cancel2()
	publishCodes(ctx2, t, connectJS(t, info2), info.MerchantID, 0, codeCrashAnswered+codeCrashLate)
	rig.waitSettled(t, dev2, "every code active or failed", func() (bool, string) {
		a := countStatus(t, db, events.TypeCode, events.StatusActive)
		f := countStatus(t, db, events.TypeCode, events.StatusFailed)
		return a+f == codeCrashAnswered+codeCrashLate, fmt.Sprintf("%d active, %d failed", a, f)
	})
	t.Logf("settled %v after the restart", time.Since(restarted).Round(time.Millisecond))
	checkCodesAfterCrash(t, db, sim.url, info.MerchantID, inflight)
	for _, p := range []*proc{dev1, dev2} {
		p.checkNoRace(t)
		p.logWarnings(t)
	}
}

func codeReference(i int) string { return "crash-code-" + strconv.Itoa(i) }

func publishCodes(ctx context.Context, t *testing.T, js jetstream.JetStream, merchant string, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		id := codeReference(i)
		data := fmt.Sprintf(`{"amount":"%d.00","currency":"ZAR","reference":%q,"short_description":"Crash test code"}`, 10+i, id)
		if _, err := publishCommand(ctx, js, merchant, events.CodeCreate, id, commandEnvelope(id, events.CodeCreate, data)); err != nil {
			if ctx.Err() != nil {
				return
			}
			t.Fatalf("publish %s: %v", id, err)
		}
	}
}

// checkCodesAfterCrash: the answered codes are active; every failed code
// failed with provider_timeout and had its one create sent; no merchant
// reference was created twice at the provider; at least the creates in
// flight at the kill failed.
func checkCodesAfterCrash(t *testing.T, db *pgxpool.Pool, simURL, merchant string, inflight int) {
	t.Helper()
	creates := simCreatesByReference(t, simURL)
	rows, err := db.Query(t.Context(), `SELECT reference, status, coalesce(reason->>'code', ''), coalesce(provider_reference, '')
		FROM transactions WHERE merchant_id = $1 AND type = 'code'`, merchant)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	failed := 0
	for rows.Next() {
		var ref, status, reason, code string
		if err := rows.Scan(&ref, &status, &reason, &code); err != nil {
			t.Fatal(err)
		}
		// A failed code had at most its one create (a create marked sent
		// may have died before it reached the provider); an active one had
		// exactly one.
		if n := creates[ref]; n > 1 || (status == events.StatusActive && n != 1) {
			t.Errorf("code %s (%s): %d creates at the provider", ref, status, n)
		}
		i, _ := strconv.Atoi(ref[len("crash-code-"):])
		switch {
		case i < codeCrashAnswered && (status != events.StatusActive || code == ""):
			t.Errorf("code %s was answered before the kill, now %s (provider code %q)", ref, status, code)
		case status == events.StatusFailed && reason != events.ReasonProviderTimeout:
			t.Errorf("code %s failed with %q, want %s", ref, reason, events.ReasonProviderTimeout)
		case status == events.StatusFailed:
			failed++
		}
	}
	if failed < inflight {
		t.Errorf("%d codes failed, but the provider had acted on %d creates it had not answered at the kill", failed, inflight)
	}
	t.Logf("%d codes failed (provider_timeout), %d creates at the provider", failed, len(creates))
}

var merchantRefRe = regexp.MustCompile(`"merchantReference":"([^"]*)"`)

func simCreatesByReference(t *testing.T, simURL string) map[string]int {
	t.Helper()
	log := simRequests(t, simURL, "/codes")
	out := map[string]int{}
	for _, e := range log {
		if e.Method != http.MethodPost || !strings.HasSuffix(e.Path, "/code/create") {
			continue
		}
		// The log masks digit runs that look like card numbers (an expiry
		// in epoch milliseconds among them), so the body is not JSON.
		if m := merchantRefRe.FindStringSubmatch(e.Body); m != nil {
			out[m[1]]++
		}
	}
	return out
}
