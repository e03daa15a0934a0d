package outbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/orchestrator/outbox"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

func TestMain(m *testing.M) { schematest.Main(m) }

// env is what every relay test needs: a fresh migrated database and an
// embedded JetStream with Switchyard's streams.
type env struct {
	st      *store.Store
	natsURL string
	js      jetstream.JetStream // the test's own connection: reads and manual publishes
}

func setup(t *testing.T) *env {
	t.Helper()
	st, err := store.Open(context.Background(), schematest.NewDB(t), 32)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	e := &env{st: st, natsURL: brokertest.Start(t)}
	e.js = e.newJetStream(t, "test")
	return e
}

// newJetStream opens a connection of its own, closed when the test ends.
func (e *env) newJetStream(t *testing.T, name string) jetstream.JetStream {
	t.Helper()
	_, js := brokertest.Connect(t, e.natsURL, nats.Name(name))
	return js
}

// newRelay returns a relay on a JetStream context of its own.
func (e *env) newRelay(t *testing.T, name string, cfg outbox.Config) *outbox.Relay {
	t.Helper()
	cfg.Store, cfg.JetStream = e.st, e.newJetStream(t, name)
	return outbox.New(cfg)
}

// run runs r until the test ends.
func run(t *testing.T, r *outbox.Relay) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("relay Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("relay did not stop within 10s of its context ending")
		}
	})
}

// payload is what the test's outbox rows carry: their key's sequence number.
type payload struct {
	Key string `json:"key"`
	Seq int    `json:"seq"`
}

func row(key string, seq int) store.OutboxRow {
	b, _ := json.Marshal(payload{Key: key, Seq: seq})
	return store.OutboxRow{MerchantID: merchantUUID(key), PartitionKey: key, Subject: events.EventSubject(key, "test"),
		MsgID: uuid.NewString(), Payload: b}
}

// merchantUUID is the merchant id of a test row: the merchant of its
// subject when that is a UUID, else one derived from it.
func merchantUUID(s string) uuid.UUID {
	if id, err := uuid.Parse(s); err == nil {
		return id
	}
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte(s))
}

// insert commits rows in one transaction, the way the engine does (a Batch,
// which also sends the NOTIFY).
func (e *env) insert(t *testing.T, rows ...store.OutboxRow) {
	t.Helper()
	err := e.st.InTx(context.Background(), func(tx pgx.Tx) error {
		var b store.Batch
		for _, r := range rows {
			b.OutboxInsert(r)
		}
		return b.Send(context.Background(), tx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) pending(t *testing.T) int {
	t.Helper()
	n, err := e.st.OutboxPending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// streamMsg is one message read back from PAY_EVENTS.
type streamMsg struct {
	Subject string
	MsgID   string
	Payload payload
}

// readEvents reads all of PAY_EVENTS in stream order.
func (e *env) readEvents(t *testing.T) []streamMsg {
	t.Helper()
	var out []streamMsg
	for _, m := range brokertest.ReadAll(t, e.js, events.StreamEvents) {
		var p payload
		if err := json.Unmarshal(m.Data(), &p); err != nil {
			t.Fatalf("message %s: %v", m.Subject(), err)
		}
		out = append(out, streamMsg{Subject: m.Subject(), MsgID: m.Headers().Get(jetstream.MsgIDHeader), Payload: p})
	}
	return out
}

func (e *env) streamInfo(t *testing.T) (*jetstream.StreamInfo, error) {
	t.Helper()
	s, err := e.js.Stream(context.Background(), events.StreamEvents)
	if err != nil {
		return nil, err
	}
	return s.Info(context.Background())
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkOncePerID checks that the stream holds every wanted message id
// exactly once and nothing else.
func checkOncePerID(t *testing.T, got []streamMsg, want map[string]bool) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range got {
		seen[m.MsgID]++
	}
	for id, n := range seen {
		switch {
		case !want[id]:
			t.Errorf("msg id %s in the stream %d time(s), but no committed row had it", id, n)
		case n != 1:
			t.Errorf("msg id %s in the stream %d times, want once", id, n)
		}
	}
	for id := range want {
		if seen[id] == 0 {
			t.Errorf("msg id %s was committed but never published", id)
		}
	}
}

// checkKeyOrder checks that each key's sequence arrives as 1, 2, 3, … with
// no gap and no repeat, ending at last[key].
func checkKeyOrder(t *testing.T, got []streamMsg, last map[string]int) {
	t.Helper()
	next := map[string]int{}
	for i, m := range got {
		k := m.Payload.Key
		if m.Subject != events.EventSubject(k, "test") {
			t.Errorf("message %d: subject %s does not match key %s", i, m.Subject, k)
		}
		if want := next[k] + 1; m.Payload.Seq != want {
			t.Errorf("message %d: key %s sequence %d, want %d", i, k, m.Payload.Seq, want)
		}
		next[k] = m.Payload.Seq
	}
	for k, n := range last {
		if next[k] != n {
			t.Errorf("key %s: last sequence published %d, want %d", k, next[k], n)
		}
	}
}

// TestRelayConcurrentWritersTwoRelays: writers commit rows for 50 keys, each
// key's sequence handed out under that key's row lock (as the engine does
// under the transaction's), some transactions rolling back, while two
// relays publish. Every committed row reaches the stream once, each key in
// order with no gap; no rolled-back row does; the outbox ends empty.
func TestRelayConcurrentWritersTwoRelays(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	const (
		keys      = 50
		writers   = 6
		txsEach   = 120
		abortEach = 10 // every 10th transaction of a writer rolls back
	)
	if _, err := e.st.Pool.Exec(ctx, `CREATE TABLE relay_test_keys (key text PRIMARY KEY, seq int NOT NULL DEFAULT 0)`); err != nil {
		t.Fatal(err)
	}
	keyIDs := make([]string, keys)
	for i := range keyIDs {
		keyIDs[i] = uuid.NewString()
		if _, err := e.st.Pool.Exec(ctx, `INSERT INTO relay_test_keys (key) VALUES ($1)`, keyIDs[i]); err != nil {
			t.Fatal(err)
		}
	}

	r1 := e.newRelay(t, "relay-1", outbox.Config{BatchSize: 64, Poll: 50 * time.Millisecond})
	r2 := e.newRelay(t, "relay-2", outbox.Config{BatchSize: 64, Poll: 50 * time.Millisecond})
	run(t, r1)
	run(t, r2)

	errAbort := errors.New("abort on purpose")
	var (
		mu        sync.Mutex
		committed = map[string]bool{} // msg ids of committed rows
		aborted   = map[string]bool{}
		wg        sync.WaitGroup
	)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for i := range txsEach {
				key, n, abort := keyIDs[rng.IntN(keys)], 1+rng.IntN(3), i%abortEach == abortEach-1
				var ids []string
				err := e.st.InTx(ctx, func(tx pgx.Tx) error {
					var seq int
					if err := tx.QueryRow(ctx, `SELECT seq FROM relay_test_keys WHERE key = $1 FOR UPDATE`, key).Scan(&seq); err != nil {
						return err
					}
					var b store.Batch
					b.Queue(`UPDATE relay_test_keys SET seq = $2 WHERE key = $1`, key, seq+n)
					ids = ids[:0]
					for s := seq + 1; s <= seq+n; s++ {
						r := row(key, s)
						ids = append(ids, r.MsgID)
						b.OutboxInsert(r)
					}
					if err := b.Send(ctx, tx); err != nil {
						return err
					}
					if abort {
						return errAbort
					}
					return nil
				})
				if err != nil && !(abort && errors.Is(err, errAbort)) {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				mu.Lock()
				for _, id := range ids {
					if abort {
						aborted[id] = true
					} else {
						committed[id] = true
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	want := uint64(len(committed))
	waitFor(t, 30*time.Second, fmt.Sprintf("outbox empty and %d messages in PAY_EVENTS", want), func() bool {
		info, err := e.streamInfo(t)
		return err == nil && info.State.Msgs >= want && e.pending(t) == 0
	})
	got := e.readEvents(t)
	if uint64(len(got)) != want {
		t.Errorf("PAY_EVENTS holds %d messages, want %d", len(got), want)
	}
	checkOncePerID(t, got, committed)
	for _, m := range got {
		if aborted[m.MsgID] {
			t.Errorf("msg id %s of a rolled-back transaction was published", m.MsgID)
		}
	}
	last := map[string]int{}
	rows, err := e.st.Pool.Query(ctx, `SELECT key, seq FROM relay_test_keys`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		last[k] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	checkKeyOrder(t, got, last)
	if n := e.pending(t); n != 0 {
		t.Errorf("outbox holds %d rows after the relays drained it", n)
	}
	t.Logf("%d rows committed (%d rolled back) over %d keys; relay 1 published %d, relay 2 %d (a sum above %d means rows were re-sent and dropped as duplicates)",
		want, len(aborted), keys, r1.Published(), r2.Published(), want)
}

// twoKeysOnePartition returns two distinct keys that share an outbox
// partition, so a relay scanning one partition would meet both.
func twoKeysOnePartition() (string, string) {
	a := uuid.NewString()
	for {
		b := uuid.NewString()
		if store.PartitionOf(b) == store.PartitionOf(a) {
			return a, b
		}
	}
}

// TestRelayLateCommitLowerID: a row whose transaction commits after a row
// with a higher id has been published is still published (no "id > last
// seen" cursor skips it).
func TestRelayLateCommitLowerID(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	r := e.newRelay(t, "relay", outbox.Config{})
	keyA, keyB := twoKeysOnePartition()
	rowA, rowB := row(keyA, 1), row(keyB, 1)

	insertOpen := func(r store.OutboxRow) (pgx.Tx, int64) {
		tx, err := e.st.Pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = tx.Rollback(context.Background()) })
		var b store.Batch
		b.OutboxInsert(r)
		if err := b.Send(ctx, tx); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM outbox WHERE msg_id = $1`, r.MsgID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return tx, id
	}
	txA, idA := insertOpen(rowA)
	txB, idB := insertOpen(rowB)
	if idA >= idB {
		t.Fatalf("row A has id %d, row B %d: want A below B for this test to mean anything", idA, idB)
	}
	if err := txB.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	if n, err := r.Pass(ctx); err != nil || n != 1 {
		t.Fatalf("first pass: published %d, err %v; want 1 (row B)", n, err)
	}
	if got := e.readEvents(t); len(got) != 1 || got[0].MsgID != rowB.MsgID {
		t.Fatalf("after the first pass the stream holds %+v, want row B only", got)
	}
	if err := txA.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Pass(ctx); err != nil || n != 1 {
		t.Fatalf("second pass: published %d, err %v; want 1 (row A)", n, err)
	}
	got := e.readEvents(t)
	checkOncePerID(t, got, map[string]bool{rowA.MsgID: true, rowB.MsgID: true})
	if len(got) == 2 && got[1].MsgID != rowA.MsgID {
		t.Errorf("stream order %s, %s: want B then A (A committed last)", got[0].MsgID, got[1].MsgID)
	}
	if n := e.pending(t); n != 0 {
		t.Errorf("outbox holds %d rows, want 0", n)
	}
}

// TestRelayRepublishAfterCrash: a relay that published and died before
// deleting leaves its rows; the next relay publishes them again with the
// same msg ids and the stream keeps each once, in order.
func TestRelayRepublishAfterCrash(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	keys := []string{uuid.NewString(), uuid.NewString(), uuid.NewString()}
	var rows []store.OutboxRow
	for s := 1; s <= 7; s++ {
		for _, k := range keys {
			rows = append(rows, row(k, s))
		}
	}
	e.insert(t, rows...)

	// The crashed relay got as far as publishing the first 12 rows.
	publish := func(r store.OutboxRow) *jetstream.PubAck {
		t.Helper()
		m := &nats.Msg{Subject: r.Subject, Data: r.Payload, Header: nats.Header{}}
		m.Header.Set(jetstream.MsgIDHeader, r.MsgID)
		ack, err := e.js.PublishMsg(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		return ack
	}
	for _, r := range rows[:12] {
		if ack := publish(r); ack.Duplicate {
			t.Fatalf("first publish of %s acknowledged as a duplicate", r.MsgID)
		}
	}

	r := e.newRelay(t, "relay", outbox.Config{})
	if n, err := r.Pass(ctx); err != nil || n != len(rows) {
		t.Fatalf("pass: published %d, err %v; want %d", n, err, len(rows))
	}
	got := e.readEvents(t)
	want := map[string]bool{}
	for _, r := range rows {
		want[r.MsgID] = true
	}
	if len(got) != len(rows) {
		t.Errorf("stream holds %d messages, want %d", len(got), len(rows))
	}
	checkOncePerID(t, got, want)
	checkKeyOrder(t, got, map[string]int{keys[0]: 7, keys[1]: 7, keys[2]: 7})
	if n := e.pending(t); n != 0 {
		t.Errorf("outbox holds %d rows, want 0", n)
	}
	// What made it safe: the stream answers a re-send as a duplicate.
	if ack := publish(rows[0]); !ack.Duplicate {
		t.Errorf("re-send of %s not acknowledged as a duplicate: the stream's duplicate window is off", rows[0].MsgID)
	}
}

// listenerPID waits for the relay's LISTEN connection (other than not) and
// returns its backend pid.
func (e *env) listenerPID(t *testing.T, not int32) int32 {
	t.Helper()
	var pid int32
	waitFor(t, 10*time.Second, "relay LISTENing", func() bool {
		err := e.st.Pool.QueryRow(context.Background(), `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND state = 'idle' AND query = $1 AND pid <> $2`, "LISTEN "+store.OutboxChannel, not).Scan(&pid)
		return err == nil
	})
	return pid
}

// TestRelayWokenByNotify: with polling at one minute, a committed row is
// published within a second or two because its commit NOTIFYs the relay;
// a row inserted without NOTIFY waits. After losing its LISTEN connection
// the relay listens again.
func TestRelayWokenByNotify(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	key := uuid.NewString()
	warm := row(key, 1)
	e.insert(t, warm) // published by the relay's first pass, before it sleeps
	r := e.newRelay(t, "relay", outbox.Config{Poll: time.Minute})
	run(t, r)
	waitFor(t, 10*time.Second, "first pass published the warm-up row", func() bool { return r.Published() == 1 })
	pid := e.listenerPID(t, 0)

	// Negative control: a row inserted without NOTIFY is not published
	// while the relay sleeps on its one-minute poll.
	quiet := row(key, 2)
	if _, err := e.st.Pool.Exec(ctx, `INSERT INTO outbox (merchant_id, partition, partition_key, subject, msg_id, payload)
		VALUES ($6, $1, $2, $3, $4, $5)`, store.PartitionOf(key), key, quiet.Subject, quiet.MsgID, quiet.Payload, quiet.MerchantID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // proving an absence: nothing to poll for
	if n := r.Published(); n != 1 {
		t.Fatalf("relay published %d rows without a NOTIFY, want 1: the wake-up test below would prove nothing", n)
	}

	wakeWithin := func(what string, rows ...store.OutboxRow) {
		t.Helper()
		before := r.Published()
		start := time.Now()
		e.insert(t, rows...)
		// Published is counted after the pass commits, so wait for both.
		waitFor(t, 2*time.Second, what, func() bool { return e.pending(t) == 0 && r.Published() > before })
		t.Logf("%s: published %v after the commit", what, time.Since(start))
	}
	wakeWithin("woken by NOTIFY", row(key, 3))

	// Lose the LISTEN connection; the relay listens again within ~1s.
	var ok bool
	if err := e.st.Pool.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, pid).Scan(&ok); err != nil || !ok {
		t.Fatalf("terminate listener %d: %v %v", pid, ok, err)
	}
	e.listenerPID(t, pid)
	wakeWithin("woken after the listener reconnected", row(key, 4))

	got := e.readEvents(t)
	checkKeyOrder(t, got, map[string]int{key: 4})
	if len(got) != 4 {
		t.Errorf("stream holds %d messages, want 4", len(got))
	}
}
