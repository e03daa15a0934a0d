//go:build linux

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
)

// The purchase crash test: utility token purchases through a real
// `switchyard dev`, SIGKILLed while purchase calls marked sent are in
// flight — the provider has issued the tokens and answers late, so the
// answer is lost with the process. After the restart every create is sent
// again: every purchase completes with the tokens the provider issued the
// first time, and the provider issued exactly one token set per purchase id
// (the calls in flight were recovered by the retry endpoint with the same id).
const (
	buyCrashPurchases = 40
	buyCrashSlow      = 1500 * time.Millisecond
	buyCrashInCalls   = 5
)

func TestCrashRecoveryPurchase(t *testing.T) {
	rig := newCrashRig(t, "--utility-url", "/utility")
	db, sim := rig.db, rig.sim
	dev1, info := rig.start(t, "dev#1")
	ctx, cancel := context.WithCancel(t.Context())
	js := connectJS(t, info)
	publishPurchases(ctx, t, js, info.MerchantID, 0, buyCrashPurchases/2)
	waitFor(t, 30*time.Second, "the first purchases completed", dev1, func() (bool, string) {
		n := countStatus(t, db, events.TypePurchase, events.StatusCompleted)
		return n >= buyCrashPurchases/4, strconv.Itoa(n)
	})
	// The provider issues the next purchases' tokens at once and answers late.
	simArmAt(t, sim.url, "/utility", fmt.Sprintf(`{"path":"/tokenPurchases","method":"POST","delay_ms":%d,"count":%d}`,
		buyCrashSlow.Milliseconds(), buyCrashPurchases))
	publishPurchases(ctx, t, js, info.MerchantID, buyCrashPurchases/2, buyCrashPurchases)
	waitFor(t, 30*time.Second, "purchase calls marked sent in flight", dev1, func() (bool, string) {
		n := inFlight(t, db, "purchase")
		return n >= buyCrashInCalls, strconv.Itoa(n)
	})
	inflight := inFlight(t, db, "purchase")
	dev1.kill(t)
	cancel()
	simDisarmAt(t, sim.url, "/utility")
	t.Logf("SIGKILL with %d purchase calls marked sent in flight", inflight)

	restarted := time.Now()
	dev2, info2 := rig.start(t, "dev#2")
	ctx2, cancel2 := context.WithCancel(t.Context())
	defer cancel2()
	publishPurchases(ctx2, t, connectJS(t, info2), info.MerchantID, 0, buyCrashPurchases)
	rig.waitSettled(t, dev2, "every purchase completed", func() (bool, string) {
		n := countStatus(t, db, events.TypePurchase, events.StatusCompleted)
		return n == buyCrashPurchases, fmt.Sprintf("%d completed", n)
	})
	t.Logf("recovered %v after the restart", time.Since(restarted).Round(time.Millisecond))
	checkOutboxEmpty(t, db)
	checkPurchaseTokens(t, db, sim.url, info.MerchantID)
	if testing.Verbose() {
		rows, _ := db.Query(t.Context(), `SELECT e.type, count(*) FROM transaction_events e GROUP BY e.type ORDER BY 1`)
		for rows.Next() {
			var typ string
			var n int
			_ = rows.Scan(&typ, &n)
			t.Logf("events %s: %d", typ, n)
		}
		rows.Close()
	}
	for _, p := range []*proc{dev1, dev2} {
		p.checkNoRace(t)
		p.logWarnings(t)
	}
}

func buyReference(i int) string { return "buycrash-" + strconv.Itoa(i) }

func publishPurchases(ctx context.Context, t *testing.T, js jetstream.JetStream, merchant string, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		data := fmt.Sprintf(`{"provider":"utility","meter":{"meter_id":"01000000000"},"amount":"%d.00","currency":"ZAR",`+
			`"utility_type":"electricity","reference":%q}`, 20+i, buyReference(i))
		id := buyReference(i)
		if _, err := publishCommand(ctx, js, merchant, events.PurchaseCreate, id, commandEnvelope(id, events.PurchaseCreate, data)); err != nil {
			if ctx.Err() != nil {
				return
			}
			t.Fatalf("publish %s: %v", id, err)
		}
	}
}

func countStatus(t *testing.T, db *pgxpool.Pool, typ, status string) int {
	var n int
	if err := db.QueryRow(t.Context(), `SELECT count(*) FROM transactions WHERE type = $1 AND status = $2`, typ, status).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkPurchaseTokens: each purchase's tokens are the ones the provider
// issued, and it issued one set per purchase id.
func checkPurchaseTokens(t *testing.T, db *pgxpool.Pool, simURL, merchant string) {
	t.Helper()
	rows, err := db.Query(t.Context(), `SELECT provider_reference, details->'purchase_state' FROM transactions
		WHERE merchant_id = $1 AND type = 'purchase'`, merchant)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var pid string
		var state json.RawMessage
		if err := rows.Scan(&pid, &state); err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(simURL + "/utility/_sim/purchases/" + pid)
		if err != nil {
			t.Fatal(err)
		}
		var sim simPurchase
		_ = json.NewDecoder(resp.Body).Decode(&sim)
		resp.Body.Close()
		var st struct {
			Tokens []struct{ Token string } `json:"tokens"`
		}
		_ = json.Unmarshal(state, &st)
		// Attempts is 0 when the kill came between recording the call as sent
		// and sending it: the retry then made the purchase (one set all the same).
		if sim.Issued != 1 || sim.Attempts > 1 || sim.Response == nil || len(sim.Response.Tokens) == 0 {
			t.Errorf("purchase %s: the provider issued %d token sets for %d purchase requests", pid, sim.Issued, sim.Attempts)
			continue
		}
		if len(st.Tokens) != len(sim.Response.Tokens) || st.Tokens[0].Token != sim.Response.Tokens[0].Token {
			t.Errorf("purchase %s keeps tokens %+v, the provider issued %+v", pid, st.Tokens, sim.Response.Tokens)
			continue
		}
		n++
	}
	if n != buyCrashPurchases {
		t.Errorf("%d purchases with one token set, want %d", n, buyCrashPurchases)
	}
}

func simArmAt(t *testing.T, simURL, prefix, fault string) {
	t.Helper()
	resp, err := http.Post(simURL+prefix+"/_sim/faults", "application/json", strings.NewReader(fault))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("arm %s: %s", fault, resp.Status)
	}
}
