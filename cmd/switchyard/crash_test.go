//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/schema/schematest"
)

// The crash test drives charge → confirm lifecycles through a real
// `switchyard dev` process, SIGKILLs it mid-flight, restarts it on the same
// data dir, retries every command as a client would, and then checks that
// nothing was lost, duplicated or left half-done: in PostgreSQL, at the
// provider (a separate `switchyard sim` process that outlives the crash) and
// in the PAY_EVENTS stream.
const (
	crashCharges   = 200
	crashKillAfter = 60               // charge.authorized events seen before the SIGKILL
	crashSettle    = 60 * time.Second // after the restart, everything must be terminal within this
	// crashRecover: after the restart, every call the dead process held must
	// be taken again within this (its holder's lock is free at once), not
	// when its lease runs out: each charge is then final or in recovery.
	crashRecover = 5 * time.Second
	// The last crashLateCharges creates are published only once
	// crashKillAfter authorizations have been seen, and the provider answers
	// their charge calls crashSlowCharge late (it acts at once; within the
	// provider time-out), so that at least crashSentAtKill charge calls
	// marked sent are in flight when the kill comes.
	crashLateCharges = 20
	crashSlowCharge  = 1500 * time.Millisecond
	crashSentAtKill  = 5
)

var terminalStatuses = []string{events.StatusConfirmed, events.StatusReversed, events.StatusDeclined, events.StatusFailed}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds the binary and runs it as separate processes")
	}
	dbURL := schematest.NewDB(t)
	bin := buildSwitchyard(t)
	sim := startSim(t, bin)
	dataDir := t.TempDir()
	args := []string{"dev", "--data-dir", dataDir, "--database-url", dbURL,
		// Ports picked by the servers themselves (dev.json tells them): a port
		// chosen in advance can be taken in between by an outgoing connection's
		// ephemeral port, and the restart would fail to bind it.
		"--nats-port", "-1", "--http-addr", "127.0.0.1:0",
		"--sim-addr", "127.0.0.1:0", "--onoconnect-url", sim.url + "/onoconnect",
		// a short provider time-out: work in flight at the kill is claimed again after executor.LeaseFor(2s)
		"--provider-timeout", "2s",
		// charges whose call was in flight at the kill are reversed by reference: check their absence quickly
		"--absence-delays", "200ms,500ms"}
	db := openPool(t, dbURL)
	cmds := createCommands(crashCharges)

	dev1 := startProc(t, "dev#1", bin, args...)
	info := waitDevInfo(t, dataDir, dev1)
	runUntilCrash(t, info, cmds, dev1, db, sim.url)
	held := heldClaims(t, db)

	restarted := time.Now()
	dev2 := startProc(t, "dev#2", bin, args...)
	info2 := waitDevInfo(t, dataDir, dev2)
	t.Logf("dev#2 ready (dev.json written) %v after the restart", time.Since(restarted).Round(time.Millisecond))
	if info2.MerchantID != info.MerchantID {
		t.Fatalf("demo merchant changed across the restart: %s → %s", info.MerchantID, info2.MerchantID)
	}
	waitRecovered(t, db, held, restarted, dev2)
	recoverAndSettle(t, info2, cmds, dev2, db)
	t.Logf("recovered: every charge terminal and the outbox empty %v after the restart", time.Since(restarted).Round(time.Millisecond))

	txns := checkTransactions(t, db, info.MerchantID)
	history := checkHistory(t, db, info.MerchantID)
	checkProvider(t, sim.url, txns)
	checkEventStream(t, info2, info.MerchantID, txns, history)
	checkOutboxEmpty(t, db)
	for _, p := range []*proc{dev1, dev2} {
		p.checkNoRace(t)
		p.logWarnings(t)
	}
}

// runUntilCrash publishes the creates, confirms what gets authorized, and
// SIGKILLs dev once crashKillAfter authorizations have been seen and charge
// calls marked sent (the late creates') are in flight.
func runUntilCrash(t *testing.T, info devInfo, cmds []createCommand, dev *proc, db *pgxpool.Pool, simURL string) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	js := connectJS(t, info)
	c := startConfirmer(ctx, t, js, info.MerchantID)
	var acked int
	late := make(chan struct{})
	pubDone := make(chan struct{})
	go func() {
		defer close(pubDone)
		for i, cmd := range cmds {
			if i == len(cmds)-crashLateCharges {
				select {
				case <-late:
				case <-ctx.Done():
					return
				}
			}
			if _, err := cmd.publish(ctx, js, info.MerchantID); err != nil {
				return // the crash: the rest is retried after the restart
			}
			acked++
		}
	}()
	waitFor(t, 45*time.Second, "charge.authorized events before the crash", dev, func() (bool, string) {
		n := c.seenCount()
		return n >= crashKillAfter, fmt.Sprintf("%d seen", n)
	})
	simSlowCharges(t, simURL, crashSlowCharge, crashLateCharges)
	close(late)
	waitFor(t, 15*time.Second, "charge calls marked sent in flight", dev, func() (bool, string) {
		var n int
		err := db.QueryRow(t.Context(), `SELECT count(*) FROM work_items WHERE available_at > now() AND sent_attempt > 0`).Scan(&n)
		return err == nil && n >= crashSentAtKill, fmt.Sprintf("%d (%v)", n, err)
	})
	dev.kill(t)
	simDisarm(t, simURL) // after the restart, the provider answers at once
	cancel()
	<-pubDone
	c.stop()
	t.Logf("SIGKILL: %d/%d creates acknowledged, %d authorized seen, %d confirms acknowledged; in PostgreSQL: %s",
		acked, len(cmds), c.seenCount(), c.ackedCount(), statusSummary(t, db, info.MerchantID))
}

// recoverAndSettle retries every create and every confirm, then waits until
// every charge is terminal and the outbox is drained.
func recoverAndSettle(t *testing.T, info devInfo, cmds []createCommand, dev *proc, db *pgxpool.Pool) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	js := connectJS(t, info)
	c := startConfirmer(ctx, t, js, info.MerchantID)
	defer c.stop()
	dup := 0
	for _, cmd := range cmds {
		pctx, pcancel := context.WithTimeout(ctx, 10*time.Second)
		ack, err := cmd.publish(pctx, js, info.MerchantID)
		pcancel()
		if err != nil {
			t.Fatalf("re-publish %s after the restart: %v", cmd.id, err)
		}
		if ack.Duplicate {
			dup++
		}
	}
	t.Logf("after the restart: %d creates re-published, %d of them answered as duplicates by the stream", len(cmds), dup)
	waitFor(t, crashSettle, "every charge terminal and the outbox empty", dev, func() (bool, string) {
		return settled(t, db, info.MerchantID)
	})
	if n := c.failedCount(); n > 0 {
		t.Errorf("%d charge.confirm publishes failed after the restart", n)
	}
}

func settled(t *testing.T, db *pgxpool.Pool, merchant string) (bool, string) {
	var total, terminal, outbox int
	err := db.QueryRow(t.Context(), `SELECT
		(SELECT count(*) FROM transactions WHERE merchant_id = $1),
		(SELECT count(*) FROM transactions WHERE merchant_id = $1 AND status = ANY($2)),
		(SELECT count(*) FROM outbox)`, merchant, terminalStatuses).Scan(&total, &terminal, &outbox)
	if err != nil {
		return false, err.Error()
	}
	ok := total == crashCharges && terminal == crashCharges && outbox == 0
	return ok, fmt.Sprintf("%d transactions, %d terminal, %d outbox rows; %s", total, terminal, outbox, statusSummary(t, db, merchant))
}

// ---- recovery of the calls in flight at the kill ----

// heldClaim is a work item claimed by the process that was killed.
type heldClaim struct {
	id      int64
	attempt int
	txn     string
	status  string // the transaction's status at the kill
	sent    bool
}

// heldClaims lists the work items still leased once the process is dead:
// the calls it had in flight.
func heldClaims(t *testing.T, db *pgxpool.Pool) []heldClaim {
	t.Helper()
	rows, err := db.Query(t.Context(), `SELECT w.id, w.attempt, t.id::text, t.status, w.sent_attempt > 0
		FROM work_items w JOIN transactions t ON t.id = w.transaction_id WHERE w.available_at > now()`)
	if err != nil {
		t.Fatal(err)
	}
	var held []heldClaim
	sent := 0
	for rows.Next() {
		var c heldClaim
		if err := rows.Scan(&c.id, &c.attempt, &c.txn, &c.status, &c.sent); err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
		if c.sent {
			sent++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if sent == 0 {
		t.Fatalf("no charge call marked sent was in flight at the kill (%d claims held): the recovery is not tested", len(held))
	}
	t.Logf("at the kill the dead process held %d claims, %d of them marked sent", len(held), sent)
	return held
}

// waitRecovered waits until every claim the dead process held is no longer
// held by it (its result committed, or the work claimed again) and its
// transaction is final, reversing (the provider's recovery path: a charge
// marked sent is reversed by reference) or past the status it had at the
// kill; and checks this took at most crashRecover from the restart.
func waitRecovered(t *testing.T, db *pgxpool.Pool, held []heldClaim, restarted time.Time, dev *proc) {
	t.Helper()
	ids, attempts, txns, statuses := make([]int64, len(held)), make([]int32, len(held)), make([]string, len(held)), make([]string, len(held))
	for i, c := range held {
		ids[i], attempts[i], txns[i], statuses[i] = c.id, int32(c.attempt), c.txn, c.status
	}
	recovering := append([]string{events.StatusReversing}, terminalStatuses...)
	waitFor(t, crashSettle, "every claim of the dead process taken again", dev, func() (bool, string) {
		var pending int
		err := db.QueryRow(t.Context(), `SELECT count(*)
			FROM unnest($1::bigint[], $2::integer[], $3::uuid[], $4::text[]) AS c(id, attempt, txn, status)
			JOIN transactions t ON t.id = c.txn
			WHERE EXISTS (SELECT 1 FROM work_items w WHERE w.id = c.id AND w.attempt = c.attempt)
				OR (t.status = c.status AND NOT t.status = ANY($5))`, ids, attempts, txns, statuses, recovering).Scan(&pending)
		if err != nil {
			return false, err.Error()
		}
		return pending == 0, fmt.Sprintf("%d of %d claims of the dead process not recovered", pending, len(held))
	})
	took := time.Since(restarted)
	t.Logf("recovery: every call in flight at the kill final or in recovery %v after the restart", took.Round(time.Millisecond))
	if took > crashRecover {
		t.Errorf("recovery took %v after the restart, want at most %v", took.Round(time.Millisecond), crashRecover)
	}
}

// simSlowCharges makes the provider answer the next n charge calls delay
// late (it acts at once).
func simSlowCharges(t *testing.T, simURL string, delay time.Duration, n int) {
	t.Helper()
	body := fmt.Sprintf(`{"path":"/v2/charge*","method":"POST","delay_ms":%d,"count":%d}`, delay.Milliseconds(), n) // not /v2/charges/{id}/confirm
	resp, err := http.Post(simURL+"/onoconnect/_sim/faults", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("arm the slow charges: %s", resp.Status)
	}
}

func simDisarm(t *testing.T, simURL string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, simURL+"/onoconnect/_sim/faults", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("disarm the simulator's faults: %s", resp.Status)
	}
}

// ---- the checks ----

type txnRow struct {
	id, reference, status string
	eventSeq              int
}

// checkTransactions: exactly one transaction per reference, all terminal.
func checkTransactions(t *testing.T, db *pgxpool.Pool, merchant string) map[string]txnRow {
	t.Helper()
	rows, err := db.Query(t.Context(), `SELECT id::text, coalesce(reference, ''), status, event_seq
		FROM transactions WHERE merchant_id = $1`, merchant)
	if err != nil {
		t.Fatal(err)
	}
	txns := map[string]txnRow{}
	byRef := map[string]int{}
	counts := map[string]int{}
	for rows.Next() {
		var r txnRow
		if err := rows.Scan(&r.id, &r.reference, &r.status, &r.eventSeq); err != nil {
			t.Fatal(err)
		}
		txns[r.id] = r
		byRef[r.reference]++
		counts[r.status]++
		if !slices.Contains(terminalStatuses, r.status) {
			t.Errorf("transaction %s (%s) is %s, not terminal", r.id, r.reference, r.status)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("final statuses: %v", counts)
	if len(txns) != crashCharges {
		t.Errorf("%d transactions, want exactly %d", len(txns), crashCharges)
	}
	for i := range crashCharges {
		if ref := reference(i); byRef[ref] != 1 {
			t.Errorf("reference %s has %d transactions, want 1", ref, byRef[ref])
		}
	}
	return txns
}

type historyEntry struct {
	count, minSeq, maxSeq int
	eventIDs              map[int]string // sequence → event id
}

// checkHistory: every transaction's transaction_events are exactly 1..event_seq.
func checkHistory(t *testing.T, db *pgxpool.Pool, merchant string) map[string]*historyEntry {
	t.Helper()
	rows, err := db.Query(t.Context(), `SELECT t.id::text, t.event_seq, e.sequence, e.event_id::text
		FROM transactions t LEFT JOIN transaction_events e ON e.transaction_id = t.id
		WHERE t.merchant_id = $1`, merchant)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	hist := map[string]*historyEntry{}
	eventSeq := map[string]int{}
	for rows.Next() {
		var id string
		var seq int
		var evSeq *int
		var evID *string
		if err := rows.Scan(&id, &seq, &evSeq, &evID); err != nil {
			t.Fatal(err)
		}
		eventSeq[id] = seq
		h := hist[id]
		if h == nil {
			h = &historyEntry{eventIDs: map[int]string{}}
			hist[id] = h
		}
		if evSeq != nil {
			h.count++
			h.eventIDs[*evSeq] = *evID
			h.minSeq = minNonZero(h.minSeq, *evSeq)
			h.maxSeq = max(h.maxSeq, *evSeq)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for id, h := range hist {
		n := eventSeq[id]
		// (transaction_id, sequence) is the primary key: count = n with min 1 and max n is exactly 1..n.
		if n < 1 || h.count != n || h.minSeq != 1 || h.maxSeq != n {
			t.Errorf("transaction %s: event_seq %d but transaction_events hold %d rows, sequences %d..%d",
				id, n, h.count, h.minSeq, h.maxSeq)
		}
	}
	return hist
}

func minNonZero(a, b int) int {
	if a == 0 || b < a {
		return b
	}
	return a
}

// checkProvider: the simulator saw at most one charge call per reference, and
// its view agrees with ours: confirmed here ⇔ confirmed there, nothing left
// approved (money held) behind a terminal transaction.
func checkProvider(t *testing.T, simURL string, txns map[string]txnRow) {
	t.Helper()
	received := map[int]int{}
	for _, r := range txns {
		got := simCharge(t, simURL, r.reference)
		received[got.Received]++
		if got.Received > 1 {
			t.Errorf("reference %s: the provider received %d charge calls, want at most 1", r.reference, got.Received)
		}
		switch {
		case r.status == events.StatusConfirmed && got.Status != "confirmed",
			r.status != events.StatusConfirmed && got.Status == "confirmed",
			got.Status == "approved",
			r.status == events.StatusReversed && got.Status != "rejected" && got.Status != "":
			t.Errorf("reference %s: %s in Switchyard but %q at the provider (%d calls)", r.reference, r.status, got.Status, got.Received)
		}
	}
	t.Logf("provider charge calls per reference (calls: references): %v", received)
}

type simChargeState struct {
	Received int    `json:"received"`
	Status   string `json:"status"`
}

func simCharge(t *testing.T, simURL, ref string) simChargeState {
	t.Helper()
	resp, err := http.Get(simURL + "/onoconnect/_sim/charges/" + ref)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s simChargeState
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET simulator charge %s: %s", ref, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatalf("simulator charge %s: %v", ref, err)
	}
	return s
}

// checkEventStream reads the whole of the merchant's PAY_EVENTS, deduping
// nothing: each event id at most once; per transaction the sequences 1..n in
// stream order with n = event_seq, the same event ids as the history, and a
// last event that names the final status.
func checkEventStream(t *testing.T, info devInfo, merchant string, txns map[string]txnRow, hist map[string]*historyEntry) {
	t.Helper()
	msgs := brokertest.ReadAll(t, connectJS(t, info), events.StreamEvents, events.MerchantEvents(merchant))
	seenID := map[string]int{}
	perTxn := map[string][]events.Event{}
	rejected := map[string]int{}
	for _, m := range msgs {
		var ev events.Event
		if err := json.Unmarshal(m.Data(), &ev); err != nil {
			t.Errorf("undecodable event on %s: %v", m.Subject(), err)
			continue
		}
		if seenID[ev.ID]++; seenID[ev.ID] == 2 {
			t.Errorf("event id %s (%s seq %d of %s) is in PAY_EVENTS more than once", ev.ID, ev.Type, ev.Sequence, ev.Subject)
		}
		if h := m.Headers().Get(jetstream.MsgIDHeader); h != ev.ID {
			t.Errorf("event %s published with Nats-Msg-Id %q", ev.ID, h)
		}
		if ev.Type == events.CommandRejected {
			rejected[ev.Data.Reason.Code]++
			continue
		}
		perTxn[ev.Subject] = append(perTxn[ev.Subject], ev)
	}
	t.Logf("PAY_EVENTS: %d messages, %d transactions, command.rejected by code: %v", len(msgs), len(perTxn), rejected)
	for _, code := range []string{events.ReasonIdempotencyConflict, events.ReasonDuplicateReference, events.ReasonUndeliverableCommand} {
		if rejected[code] > 0 {
			t.Errorf("%d commands rejected with %s: a retried command was not recognised as the same command", rejected[code], code)
		}
	}
	for id, r := range txns {
		checkTxnEvents(t, r, perTxn[id], hist[id])
		delete(perTxn, id)
	}
	for id := range perTxn {
		t.Errorf("PAY_EVENTS holds events of %s, which is not a transaction in PostgreSQL", id)
	}
}

func checkTxnEvents(t *testing.T, r txnRow, evs []events.Event, h *historyEntry) {
	t.Helper()
	seqs := make([]int, len(evs))
	for i, ev := range evs {
		seqs[i] = ev.Sequence
		if h != nil && h.eventIDs[ev.Sequence] != ev.ID {
			t.Errorf("transaction %s seq %d: event %s in PAY_EVENTS, %s in transaction_events", r.id, ev.Sequence, ev.ID, h.eventIDs[ev.Sequence])
		}
	}
	want := make([]int, r.eventSeq)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(seqs, want) {
		t.Errorf("transaction %s (%s, %s): PAY_EVENTS sequences in stream order %v, want %v", r.id, r.reference, r.status, seqs, want)
		return
	}
	if last := evs[len(evs)-1]; last.Type != events.EventType(events.TypeCharge, r.status) {
		t.Errorf("transaction %s is %s but its last event is %s", r.id, r.status, last.Type)
	}
}

func checkOutboxEmpty(t *testing.T, db *pgxpool.Pool) {
	t.Helper()
	var n int
	if err := db.QueryRow(t.Context(), `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("outbox holds %d rows at the end, want 0", n)
	}
}

func statusSummary(t *testing.T, db *pgxpool.Pool, merchant string) string {
	rows, err := db.Query(t.Context(), `SELECT status, count(*) FROM transactions WHERE merchant_id = $1
		GROUP BY status ORDER BY status`, merchant)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return err.Error()
		}
		parts = append(parts, fmt.Sprintf("%s=%d", s, n))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// ---- commands and the confirmer ----

type createCommand struct {
	id   string
	body []byte
}

func reference(i int) string { return "crash-" + strconv.Itoa(i) }

func createCommands(n int) []createCommand {
	out := make([]createCommand, n)
	for i := range out {
		data := fmt.Sprintf(`{"provider":"onoconnect","amount":"10.00","currency":"ZAR","reference":%q,`+
			`"payment_method":{"type":"card","card_number":"4111111111111111"}}`, reference(i))
		id := "crash-create-" + strconv.Itoa(i)
		out[i] = createCommand{id: id, body: commandEnvelope(id, events.ChargeCreate, data)}
	}
	return out
}

func commandEnvelope(id, typ, data string) []byte {
	b, err := json.Marshal(events.Command{SpecVersion: events.SpecVersion, ID: id, Source: "crash-test",
		Type: typ, DataContentType: "application/json", Data: json.RawMessage(data)})
	if err != nil {
		panic(err)
	}
	return b
}

func (c createCommand) publish(ctx context.Context, js jetstream.JetStream, merchant string) (*jetstream.PubAck, error) {
	return publishCommand(ctx, js, merchant, events.ChargeCreate, c.id, c.body)
}

func publishCommand(ctx context.Context, js jetstream.JetStream, merchant, typ, id string, body []byte) (*jetstream.PubAck, error) {
	m := nats.NewMsg(events.CommandSubject(merchant, typ))
	m.Data = body
	m.Header.Set(jetstream.MsgIDHeader, id)
	return js.PublishMsg(ctx, m)
}

// confirmer follows charge.authorized from the start of PAY_EVENTS with an
// ordered consumer and sends one charge.confirm (id confirm-<transaction>)
// per transaction it sees.
type confirmer struct {
	cc                   jetstream.ConsumeContext
	queue                chan string
	done                 chan struct{}
	mu                   sync.Mutex
	seen                 map[string]bool
	acked, failed        int
	consumeErrs, badMsgs int
}

func startConfirmer(ctx context.Context, t *testing.T, js jetstream.JetStream, merchant string) *confirmer {
	t.Helper()
	cons, err := js.OrderedConsumer(ctx, events.StreamEvents, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{events.EventSubject(merchant, events.EventType(events.TypeCharge, events.StatusAuthorized))},
		DeliverPolicy:  jetstream.DeliverAllPolicy})
	if err != nil {
		t.Fatal(err)
	}
	c := &confirmer{queue: make(chan string, crashCharges*2), done: make(chan struct{}), seen: map[string]bool{}}
	c.cc, err = cons.Consume(c.onAuthorized, jetstream.ConsumeErrHandler(func(jetstream.ConsumeContext, error) {
		c.mu.Lock()
		c.consumeErrs++
		c.mu.Unlock()
	}))
	if err != nil {
		t.Fatal(err)
	}
	go c.run(ctx, js, merchant)
	return c
}

func (c *confirmer) onAuthorized(m jetstream.Msg) {
	var ev events.Event
	if err := json.Unmarshal(m.Data(), &ev); err != nil || ev.Subject == "" {
		c.mu.Lock()
		c.badMsgs++
		c.mu.Unlock()
		return
	}
	c.mu.Lock()
	isNew := !c.seen[ev.Subject]
	c.seen[ev.Subject] = true
	c.mu.Unlock()
	if isNew {
		c.queue <- ev.Subject
	}
}

func (c *confirmer) run(ctx context.Context, js jetstream.JetStream, merchant string) {
	defer close(c.done)
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-c.queue:
			cmdID := "confirm-" + id
			body := commandEnvelope(cmdID, events.ChargeConfirm, fmt.Sprintf(`{"transaction_id":%q}`, id))
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			_, err := publishCommand(pctx, js, merchant, events.ChargeConfirm, cmdID, body)
			cancel()
			c.mu.Lock()
			if err != nil {
				c.failed++
			} else {
				c.acked++
			}
			c.mu.Unlock()
		}
	}
}

// stop stops consuming; the caller cancels the context run was given.
func (c *confirmer) stop() { c.cc.Stop() }

func (c *confirmer) seenCount() int  { c.mu.Lock(); defer c.mu.Unlock(); return len(c.seen) }
func (c *confirmer) ackedCount() int { c.mu.Lock(); defer c.mu.Unlock(); return c.acked }

// failedCount waits (up to 15s) for every transaction seen to have had its
// confirm sent, then counts the sends that failed, the ones never finished and
// the events it could not read.
func (c *confirmer) failedCount() int {
	deadline := time.Now().Add(15 * time.Second)
	for {
		c.mu.Lock()
		pending := len(c.seen) - c.acked - c.failed
		n := c.failed + c.badMsgs + pending
		c.mu.Unlock()
		if pending == 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ---- processes ----

// buildSwitchyard builds the binary once per test, with -race when the test
// binary has it, so that a data race in the product fails the test too.
func buildSwitchyard(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "switchyard-test-bin-")
		if err != nil {
			built.err = err
			return
		}
		built.dir = dir
		bin := filepath.Join(dir, "switchyard")
		args := []string{"build", "-o", bin}
		if raceEnabled() {
			args = append(args, "-race")
		}
		start := time.Now()
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		built.bin = bin
		t.Logf("built %s (race=%v) in %v", bin, raceEnabled(), time.Since(start).Round(time.Millisecond))
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// built is the binary the package's tests share: built once, removed by
// TestMain when they are done.
var built struct {
	once     sync.Once
	dir, bin string
	err      error
}

func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

type simProc struct {
	*proc
	url string
}

func startSim(t *testing.T, bin string) simProc {
	t.Helper()
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	p := startProc(t, "sim", bin, "sim", "--addr", addr)
	url := "http://" + addr
	waitFor(t, 15*time.Second, "the simulator to answer", p, func() (bool, string) {
		resp, err := http.Get(url + "/")
		if err != nil {
			return false, err.Error()
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK, resp.Status
	})
	return simProc{proc: p, url: url}
}

// proc is a child process whose output (stdout and stderr) is kept and
// logged when the test fails.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

func startProc(t *testing.T, name, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = childEnv()
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the test binary
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("---- %s (pid %d, %v) output ----\n%s", name, p.cmd.Process.Pid, p.err, p.out.String())
		}
	})
	return p
}

// childEnv is the test's environment without SWITCHYARD_* variables, so
// that only the flags configure the children.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SWITCHYARD_") {
			env = append(env, kv)
		}
	}
	return env
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill SIGKILLs the process and waits for it to be gone.
func (p *proc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !p.exited() {
		t.Fatalf("SIGKILL %s: %v", p.name, err)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s still running 10s after SIGKILL", p.name)
	}
}

// stop sends SIGTERM, then SIGKILL if the process is still there after 10s.
func (p *proc) stop() {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *proc) checkNoRace(t *testing.T) {
	t.Helper()
	if strings.Contains(p.out.String(), "WARNING: DATA RACE") {
		t.Errorf("%s reported a data race (its output is logged below)", p.name)
	}
}

// logWarnings logs the process's warning and error lines (at most 20).
func (p *proc) logWarnings(t *testing.T) {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(p.out.String(), "\n") {
		if strings.Contains(l, `"level":"WARN"`) || strings.Contains(l, `"level":"ERROR"`) ||
			strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return
	}
	t.Logf("%s logged %d warnings/errors; the first ones:\n%s", p.name, len(lines), strings.Join(lines[:min(len(lines), 20)], "\n"))
}

// waitDevInfo waits for <data-dir>/dev.json written by this very process (a
// SIGKILLed dev leaves its own behind).
func waitDevInfo(t *testing.T, dataDir string, p *proc) devInfo {
	t.Helper()
	var info devInfo
	waitFor(t, 30*time.Second, p.name+" to write dev.json", p, func() (bool, string) {
		b, err := os.ReadFile(filepath.Join(dataDir, "dev.json"))
		if err != nil {
			return false, err.Error()
		}
		if err := json.Unmarshal(b, &info); err != nil {
			return false, err.Error()
		}
		return info.PID == p.cmd.Process.Pid && info.MerchantID != "", fmt.Sprintf("dev.json of pid %d", info.PID)
	})
	return info
}

// waitFor polls cond every 100ms until it holds, the process p exits, or d
// passes; the string cond returns says where things stand.
func waitFor(t *testing.T, d time.Duration, what string, p *proc, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, state := cond()
		switch {
		case ok:
			return
		case p != nil && p.exited():
			t.Fatalf("waiting for %s: %s exited (%v); last state: %s", what, p.name, p.err, state)
		case time.Now().After(deadline):
			t.Fatalf("waiting for %s: not within %v; last state: %s", what, d, state)
		}
		<-tick.C
	}
}

// ---- small helpers ----

// simRequest is one request in a simulator's request log (card numbers and
// secrets masked: a body may not be JSON any more).
type simRequest struct {
	Method, Path, Body string
	Status             int
}

// simRequests reads the request log of the simulator at simURL+prefix.
func simRequests(t *testing.T, simURL, prefix string) []simRequest {
	t.Helper()
	resp, err := http.Get(simURL + prefix + "/_sim/requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var log []simRequest
	if err := json.NewDecoder(resp.Body).Decode(&log); err != nil {
		t.Fatal(err)
	}
	return log
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func openPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// connectJS connects to NATS without reconnecting (the server may be killed
// under it) and closes the connection when the test ends.
// It connects as the service user of dev.json.
func connectJS(t *testing.T, info devInfo) jetstream.JetStream {
	t.Helper()
	_, js := brokertest.Connect(t, info.NATSURL, nats.Name("crash-test"), nats.NoReconnect(), nats.UserInfo(info.NATSUser, info.NATSPassword),
		nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {})) // the server is killed under it
	return js
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// crashRig is what the provider crash tests share: the binary, a `switchyard
// dev` data dir on its own database, and the simulator as a separate process
// that outlives the kill, serving the provider at simPrefix to the dev's
// providerFlag.
type crashRig struct {
	bin, dataDir string
	sim          simProc
	db           *pgxpool.Pool
	args         []string
}

func newCrashRig(t *testing.T, providerFlag, simPrefix string) *crashRig {
	t.Helper()
	if testing.Short() {
		t.Skip("crash test: builds the binary and runs it as separate processes")
	}
	dbURL := schematest.NewDB(t)
	r := &crashRig{bin: buildSwitchyard(t), dataDir: t.TempDir()}
	r.sim = startSim(t, r.bin)
	r.args = []string{"dev", "--data-dir", r.dataDir, "--database-url", dbURL,
		"--nats-port", "-1", "--http-addr", "127.0.0.1:0", "--sim-addr", "127.0.0.1:0",
		providerFlag, r.sim.url + simPrefix, "--provider-timeout", "3s"}
	r.db = openPool(t, dbURL)
	return r
}

// start starts dev (again) on the rig's data dir and waits for its dev.json.
func (r *crashRig) start(t *testing.T, name string) (*proc, devInfo) {
	t.Helper()
	p := startProc(t, name, r.bin, r.args...)
	return p, waitDevInfo(t, r.dataDir, p)
}

// waitSettled waits until done holds and the outbox is empty.
func (r *crashRig) waitSettled(t *testing.T, dev *proc, what string, done func() (bool, string)) {
	t.Helper()
	waitFor(t, 60*time.Second, what+" and the outbox empty", dev, func() (bool, string) {
		ok, s := done()
		var outbox int
		_ = r.db.QueryRow(t.Context(), `SELECT count(*) FROM outbox`).Scan(&outbox)
		return ok && outbox == 0, fmt.Sprintf("%s; outbox %d", s, outbox)
	})
}
