//go:build linux

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
)

// The hold crash test: a consent granted through a real `switchyard dev`,
// then holds on it whose hold_funds calls OnePipe acts on at once and
// answers late; SIGKILL while hold calls marked sent are in flight. After
// the restart every hold.create is sent again: every hold ends held, each
// with exactly one hold_funds call at the provider for its transaction_ref,
// the ones in flight recovered by a query (with a request_ref of its own).
const (
	holdCrashHolds   = 30
	holdCrashInCalls = 4
)

func TestCrashRecoveryHold(t *testing.T) {
	rig := newCrashRig(t, "--onepipe-url", "/onepipe")
	db, sim := rig.db, rig.sim
	dev1, info := rig.start(t, "dev#1")
	ctx, cancel := context.WithCancel(t.Context())
	js := connectJS(t, info)

	consentID := grantOverNATS(ctx, t, js, db, info.MerchantID, dev1)
	simArmAt(t, sim.url, "/onepipe", fmt.Sprintf(`{"path":"/v2/transact","method":"POST","delay_ms":1500,"count":%d}`, holdCrashHolds))
	publishHolds(ctx, t, js, info.MerchantID, consentID)
	waitFor(t, 30*time.Second, "hold calls marked sent in flight", dev1, func() (bool, string) {
		n := inFlight(t, db, "hold")
		return n >= holdCrashInCalls, strconv.Itoa(n)
	})
	inflight := inFlight(t, db, "hold")
	dev1.kill(t)
	cancel()
	simDisarmAt(t, sim.url, "/onepipe")
	t.Logf("SIGKILL with %d hold calls marked sent in flight", inflight)

	restarted := time.Now()
	dev2, info2 := rig.start(t, "dev#2")
	ctx2, cancel2 := context.WithCancel(t.Context())
	defer cancel2()
	publishHolds(ctx2, t, connectJS(t, info2), info.MerchantID, consentID)
	rig.waitSettled(t, dev2, "every hold held", func() (bool, string) {
		n := countStatus(t, db, events.TypeHold, events.StatusHeld)
		return n == holdCrashHolds, fmt.Sprintf("%d held", n)
	})
	t.Logf("recovered %v after the restart", time.Since(restarted).Round(time.Millisecond))
	checkOneHoldEach(t, db, sim.url, info.MerchantID)
	if testing.Verbose() {
		rows, _ := db.Query(t.Context(), `SELECT t.id::text, t.created_at, t.updated_at, coalesce((SELECT string_agg(p.operation||'#'||p.attempt||' '||p.outcome||' at '||to_char(p.started_at,'HH24:MI:SS.MS'), ', ') FROM provider_calls p WHERE p.transaction_id = t.id), '')
			FROM transactions t WHERE t.type = 'hold' ORDER BY t.updated_at DESC LIMIT 3`)
		for rows.Next() {
			var id, calls string
			var c, u time.Time
			_ = rows.Scan(&id, &c, &u, &calls)
			t.Logf("hold %s created %s held %s (restart %s): %s", id, c.Format("15:04:05.000"), u.Format("15:04:05.000"), restarted.Format("15:04:05.000"), calls)
		}
		rows.Close()
		for _, l := range strings.Split(dev2.out.String(), "\n") {
			if strings.Contains(l, "WARN") || strings.Contains(l, "unknown") || strings.Contains(l, "recover") {
				t.Log(l)
			}
		}
	}
	for _, p := range []*proc{dev1, dev2} {
		p.checkNoRace(t)
		p.logWarnings(t)
	}
}

// grantOverNATS creates a consent and validates it with the simulator's OTP.
func grantOverNATS(ctx context.Context, t *testing.T, js jetstream.JetStream, db *pgxpool.Pool, merchant string, dev *proc) string {
	t.Helper()
	data := `{"auth":` + opCard + `,"customer":{"customer_ref":"crash","firstname":"Ada","surname":"Obi","mobile_no":"2348012345678"},"amount":"1.00","currency":"NGN"}`
	if _, err := publishCommand(ctx, js, merchant, events.ConsentCreate, "crash-consent", commandEnvelope("crash-consent", events.ConsentCreate, data)); err != nil {
		t.Fatal(err)
	}
	id := engineTxnID(merchant, "crash-consent")
	waitTxnStatus(t, db, id, events.StatusAwaitingOTP, dev)
	v := fmt.Sprintf(`{"transaction_id":%q,"otp":%q}`, id, onepipesim.DefaultSimOTP)
	if _, err := publishCommand(ctx, js, merchant, events.ConsentValidate, "crash-validate", commandEnvelope("crash-validate", events.ConsentValidate, v)); err != nil {
		t.Fatal(err)
	}
	waitTxnStatus(t, db, id, events.StatusGranted, dev)
	return id
}

func waitTxnStatus(t *testing.T, db *pgxpool.Pool, id, status string, dev *proc) {
	t.Helper()
	waitFor(t, 30*time.Second, "transaction "+id+" "+status, dev, func() (bool, string) {
		var s string
		_ = db.QueryRow(t.Context(), `SELECT status FROM transactions WHERE id = $1`, id).Scan(&s)
		return s == status, s
	})
}

func publishHolds(ctx context.Context, t *testing.T, js jetstream.JetStream, merchant, consentID string) {
	t.Helper()
	for i := 0; i < holdCrashHolds; i++ {
		id := "crash-hold-" + strconv.Itoa(i)
		data := fmt.Sprintf(`{"consent_id":%q,"amount":"%d.00","currency":"NGN"}`, consentID, 10+i)
		if _, err := publishCommand(ctx, js, merchant, events.HoldCreate, id, commandEnvelope(id, events.HoldCreate, data)); err != nil {
			if ctx.Err() != nil {
				return
			}
			t.Fatalf("publish %s: %v", id, err)
		}
	}
}

// checkOneHoldEach: the provider got exactly one hold_funds call per hold's
// transaction_ref, and the holds in flight at the kill were queried.
func checkOneHoldEach(t *testing.T, db *pgxpool.Pool, simURL, merchant string) {
	t.Helper()
	log := simRequests(t, simURL, "/onepipe")
	calls := map[string]int{}
	queries := 0
	for _, e := range log {
		var body struct {
			RequestRef  string `json:"request_ref"`
			Transaction struct {
				TransactionRef string `json:"transaction_ref"`
			} `json:"transaction"`
		}
		_ = json.Unmarshal([]byte(e.Body), &body)
		switch {
		case strings.HasSuffix(e.Path, "/v2/transact"):
			calls[body.Transaction.TransactionRef]++
		case strings.HasSuffix(e.Path, "/v2/transact/query"):
			queries++
		}
	}
	rows, err := db.Query(t.Context(), `SELECT id FROM transactions WHERE merchant_id = $1 AND type = 'hold'`, merchant)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id uuid.UUID
		_ = rows.Scan(&id)
		if ref := id.String() + ":hold"; calls[ref] != 1 {
			t.Errorf("hold %s: %d hold_funds calls with transaction_ref %s, want 1", id, calls[ref], ref)
		}
		n++
	}
	if n != holdCrashHolds {
		t.Errorf("%d holds, want %d", n, holdCrashHolds)
	}
	if queries < holdCrashInCalls {
		t.Errorf("%d queries, want at least %d (the holds in flight at the kill)", queries, holdCrashInCalls)
	}
	t.Logf("provider: %d hold_funds transaction_refs, %d queries", len(calls), queries)
}
