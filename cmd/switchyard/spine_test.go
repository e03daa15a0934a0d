package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/onoconn"
	"github.com/switchyard/switchyard/workers/executor"
)

var noWorkers = []string{"api", "intake", "relay", "timers"}

// startWorkers starts a second instance on e's database and NATS that runs
// only the workers, with its own (empty) caches.
func (e *env) startWorkers(mutate func(*nodeConfig)) *node {
	e.t.Helper()
	cfg := e.cfg
	cfg.Roles = []string{"workers"}
	if mutate != nil {
		mutate(&cfg)
	}
	w, err := startNode(e.t.Context(), cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(w.stop)
	return w
}

func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.node.store.Pool.QueryRow(e.t.Context(), sql, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestRejectBeforeTheChargeIsSent: a charge rejected before any worker sent
// it ends reversed (merchant_rejected) with no provider call, its card data
// gone, and no work left behind (it used to stay pending for ever).
func TestRejectBeforeTheChargeIsSent(t *testing.T) {
	e := newEnvRoles(t, noWorkers)
	m := e.newMerchant("15m")
	id := httpTransport{}.create(m, "create-early", chargeData("ref-early", "10.00"))
	httpTransport{}.rejectByReference(m, "reject-early", "ref-early")
	tx := m.waitStatus(id, events.StatusReversed)
	if tx.Reason == nil || tx.Reason.Code != events.ReasonMerchantRejected {
		t.Fatalf("reason %+v", tx.Reason)
	}
	e.startWorkers(nil)
	if n := e.count(`SELECT count(*) FROM work_items`); n != 0 {
		t.Fatalf("%d work items left: the charge could still be sent", n)
	}
	if n := e.count(`SELECT count(*) FROM transactions WHERE details ? 'pm_sealed'`); n != 0 {
		t.Fatal("the sealed card data outlived the charge")
	}
	if n := e.sims.OnoConnect.ChargeCount("ref-early"); n != 0 {
		t.Fatalf("the rejected charge was sent %d times", n)
	}
	if got := m.eventTypes(id); len(got) != 2 || got[1] != "charge.reversed" {
		t.Fatalf("history %v", got)
	}
}

// TestRejectRightAfterCreateUnderLoad is the black-box run that found the
// stranded charges: many charges published at once, each followed at once
// by a reject by reference, with the workers running. A reject that
// arrived before its charge is answered not_found, rightly, and that charge
// goes on to authorized; every other charge must end reversed, and none may
// stay approved at the provider.
func TestRejectRightAfterCreateUnderLoad(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	const n = 150
	ids := make([]string, n)
	for i := range n {
		ref := fmt.Sprintf("race-%d", i)
		ids[i] = natsTransport{}.create(m, "create-"+ref, chargeData(ref, "10.00"))
		natsTransport{}.rejectByReference(m, "reject-"+ref, ref)
	}
	mid := uuid.MustParse(m.id)
	early := 0
	for i, id := range ids {
		ref := fmt.Sprintf("race-%d", i)
		waitCount(t, e, 1, `SELECT count(*) FROM commands WHERE merchant_id = $1 AND id = $2`, mid, "reject-"+ref)
		want := events.StatusReversed
		if e.count(`SELECT count(*) FROM commands WHERE merchant_id = $1 AND id = $2 AND reason_code = 'not_found'`, mid, "reject-"+ref) == 1 {
			want, early = events.StatusAuthorized, early+1
		}
		m.waitStatus(id, want)
		if s := e.sims.OnoConnect.Status(ref); want == events.StatusReversed && s != "" && s != "rejected" {
			t.Errorf("%s: %q at the provider after the charge was reversed", ref, s)
		}
		if c := e.sims.OnoConnect.ChargeCount(ref); c > 1 {
			t.Errorf("%s sent %d times", ref, c)
		}
	}
	t.Logf("%d of %d rejects arrived before their charge", early, n)
}

// TestStalledWorkerLateApprovalIsReversed: worker A records its charge call
// as sent and stalls past its lease; worker B must not repeat the call but
// reverses by reference and, hearing only "not found", concludes reversed.
// Then A's call lands and A reports the approval: the fact is recorded, not
// dropped, and the charge is reversed again, by the provider's id.
func TestStalledWorkerLateApprovalIsReversed(t *testing.T) {
	e := newEnvRoles(t, noWorkers)
	m := e.newMerchant("15m")
	id := httpTransport{}.create(m, "create-stall", chargeData("ref-stall", "10.00"))
	st, eng := e.node.store, e.node.engine
	a := claimOne(t, st, 300*time.Millisecond)
	txn, err := st.WorkBegin(t.Context(), a) // A: "sent", then it stalls
	if err != nil {
		t.Fatal(err)
	}
	e.startWorkers(nil) // B
	tx := m.waitStatus(id, events.StatusReversed)
	if tx.Reason.Code != events.ReasonProviderTimeout || e.sims.OnoConnect.ChargeCount("ref-stall") != 0 {
		t.Fatalf("B: %+v, %d calls", tx.Reason, e.sims.OnoConnect.ChargeCount("ref-stall"))
	}
	// A wakes up: its call lands at the provider, approved.
	_, op, _ := connector.NewRegistry(onoconn.New(connector.Deps{Store: st, Sealer: eng.Sealer()}, e.cfg.OnoConnectURL, 5*time.Second)).
		Op(events.ProviderOnoConnect, charge.OpCharge)
	res, err := op.Call(t.Context(), connector.Call{Txn: txn, Work: a})
	if err != nil || res.Outcome != charge.OK {
		t.Fatalf("A's late call: %+v %v", res, err)
	}
	if err := eng.ApplyWork(t.Context(), a, res, nil); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("A committed with a claim it no longer holds: %v", err)
	}
	if err := eng.Apply(t.Context(), a.MerchantID, uuid.MustParse(id), res); err != nil { // what A's executor does with a late fact
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for e.sims.OnoConnect.Status("ref-stall") != "rejected" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if s := e.sims.OnoConnect.Status("ref-stall"); s != "rejected" {
		t.Fatalf("the late charge is %q at the provider", s)
	}
	tx = m.waitStatus(id, events.StatusReversed)
	if tx.Reason.Code != events.ReasonLateSuccess || tx.ProviderReference == "" {
		t.Fatalf("after the late approval: %+v %q", tx.Reason, tx.ProviderReference)
	}
	want := []string{"charge.pending", "charge.reversing", "charge.reversed", "charge.reversing", "charge.reversed"}
	if got := m.eventTypes(id); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("history %v, want %v", got, want)
	}
}

// claimOne claims the one available work item, as a worker would.
func claimOne(t *testing.T, st *store.Store, lease time.Duration) store.WorkItem {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		items, err := st.WorkClaim(t.Context(), store.WorkProviderCall, 1, lease, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 1 {
			return items[0]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no work item to claim")
	return store.WorkItem{}
}

// TestLocalFailureBeforeTheCallIsRetried: credentials that cannot be opened
// are a local failure, not a provider outcome: the charge is neither failed
// nor treated as sent; once the credentials are readable it goes through,
// sent exactly once.
func TestLocalFailureBeforeTheCallIsRetried(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	var good []byte
	ctx := t.Context()
	mid := uuid.MustParse(m.id)
	if err := e.node.store.Pool.QueryRow(ctx, `SELECT credentials FROM provider_accounts WHERE merchant_id = $1`, mid).Scan(&good); err != nil {
		t.Fatal(err)
	}
	if _, err := e.node.store.Pool.Exec(ctx, `UPDATE provider_accounts SET credentials = 'garbage' WHERE merchant_id = $1`, mid); err != nil {
		t.Fatal(err)
	}
	id := httpTransport{}.create(m, "create-local", chargeData("ref-local", "10.00"))
	waitCount(t, e, 2, `SELECT coalesce(max(attempt), 0) FROM work_items WHERE transaction_id = $1`, uuid.MustParse(id))
	if n := e.count(`SELECT count(*) FROM work_items WHERE sent_attempt > 0`); n != 0 {
		t.Fatal("a call that was never sent is recorded as sent") // a crash now would reverse it as "unknown"
	}
	if tx := m.waitStatus(id, events.StatusPending); tx.Reason != nil {
		t.Fatalf("reason %+v", tx.Reason)
	}
	if _, err := e.node.store.Pool.Exec(ctx, `UPDATE provider_accounts SET credentials = $2 WHERE merchant_id = $1`, mid, good); err != nil {
		t.Fatal(err)
	}
	m.waitStatus(id, events.StatusAuthorized)
	if n := e.sims.OnoConnect.ChargeCount("ref-local"); n != 1 {
		t.Fatalf("charge sent %d times", n)
	}
}

func waitCount(t *testing.T, e *env, atLeast int, sql string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for e.count(sql, args...) < atLeast {
		if time.Now().After(deadline) {
			t.Fatalf("%s stayed below %d", sql, atLeast)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestKnownResultSurvivesAFailedCommit: the charge is approved but its
// result cannot be committed for a while (the row is locked; lock_timeout
// is short). The worker keeps the known result and retries the commit: the
// charge ends authorized, sent once, not reversed as "unknown".
func TestKnownResultSurvivesAFailedCommit(t *testing.T) {
	e := newEnvRoles(t, noWorkers)
	m := e.newMerchant("15m")
	id := httpTransport{}.create(m, "create-commit", chargeData("ref-commit", "10.00"))
	lock, err := e.node.store.Pool.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback(context.Background())
	if _, err := lock.Exec(t.Context(), `SELECT 1 FROM transactions WHERE id = $1 FOR UPDATE`, uuid.MustParse(id)); err != nil {
		t.Fatal(err)
	}
	retries := metrics.Default.Value(executor.MetricCommitRetries)
	e.startWorkers(func(c *nodeConfig) { c.DBLockTimeout = 100 * time.Millisecond })
	deadline := time.Now().Add(10 * time.Second)
	for e.sims.OnoConnect.ChargeCount("ref-commit") == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	// Several commits of the known result fail on the lock meanwhile.
	for metrics.Default.Value(executor.MetricCommitRetries) < retries+3 {
		if time.Now().After(deadline) {
			t.Fatal("the result's commit was not retried")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := lock.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	tx := m.waitStatus(id, events.StatusAuthorized)
	if n := e.sims.OnoConnect.ChargeCount("ref-commit"); n != 1 || e.sims.OnoConnect.Status("ref-commit") != "approved" {
		t.Fatalf("%d calls, %q at the provider, %+v", n, e.sims.OnoConnect.Status("ref-commit"), tx)
	}
}

// TestSmallPoolDoesNotWedge: a hundred charges whose calls may have been
// made (their worker died after recording them as sent) are taken up by a
// fresh worker instance with a pool of 3 connections: every one must be
// reversed by reference. Loading the merchant on a second connection inside
// the transition used to wedge the pool for ever.
func TestSmallPoolDoesNotWedge(t *testing.T) {
	e := newEnvRoles(t, noWorkers)
	m := e.newMerchant("15m")
	const n = 100
	var wg sync.WaitGroup
	ids := make([]string, n)
	for i := range n {
		ref := fmt.Sprintf("pool-%d", i)
		ids[i] = natsTransport{}.create(m, "create-"+ref, chargeData(ref, "10.00"))
	}
	waitCount(t, e, n, `SELECT count(*) FROM work_items`)
	// A worker claimed them all, recorded them as sent, and died.
	if _, err := e.node.store.Pool.Exec(t.Context(), `UPDATE work_items SET attempt = 1, sent_attempt = 1`); err != nil {
		t.Fatal(err)
	}
	e.startWorkers(func(c *nodeConfig) { c.DBMaxConns = 3 })
	for _, id := range ids {
		wg.Go(func() { // 100 × 7 transitions on 3 connections: allow for a loaded CI machine
			tx := m.waitStatusWithin(id, events.StatusReversed, time.Minute)
			if tx.Reason.Code != events.ReasonProviderTimeout {
				t.Errorf("%s: %+v", id, tx.Reason)
			}
		})
	}
	wg.Wait()
	for i := range n {
		if c := e.sims.OnoConnect.ChargeCount(fmt.Sprintf("pool-%d", i)); c != 0 {
			t.Fatalf("a charge that may have been sent was sent again (%d)", c)
		}
	}
}

// TestSealedValuesAreBoundToTheirRow: provider credentials sealed for one
// merchant do not open for another (a copied blob is refused, not used).
func TestSealedValuesAreBoundToTheirRow(t *testing.T) {
	e := newEnv(t)
	a, b := e.newMerchant("15m"), e.newMerchant("15m")
	ctx := t.Context()
	if _, err := e.node.store.Pool.Exec(ctx, `UPDATE provider_accounts SET credentials =
		(SELECT credentials FROM provider_accounts WHERE merchant_id = $1) WHERE merchant_id = $2`,
		uuid.MustParse(a.id), uuid.MustParse(b.id)); err != nil {
		t.Fatal(err)
	}
	var sealed []byte
	_ = e.node.store.Pool.QueryRow(ctx, `SELECT credentials FROM provider_accounts WHERE merchant_id = $1`, uuid.MustParse(b.id)).Scan(&sealed)
	s, _ := secret.NewSealer(e.cfg.SecretKey)
	if _, err := s.Open(sealed, secret.ProviderAccountAAD(b.id, events.ProviderOnoConnect)); err == nil {
		t.Fatal("merchant A's credentials open as merchant B's")
	}
	id := httpTransport{}.create(b, "create-moved", chargeData("ref-moved", "10.00"))
	waitCount(t, e, 2, `SELECT coalesce(max(attempt), 0) FROM work_items WHERE transaction_id = $1`, uuid.MustParse(id))
	if n := e.sims.OnoConnect.ChargeCount("ref-moved"); n != 0 {
		t.Fatal("a charge went out with another merchant's credentials")
	}
}

// TestLegacySealedValuesAreRebound: credentials sealed before sealing took
// associated data (an older data dir) are bound to their row at start, and
// the merchant's charges go through.
func TestLegacySealedValuesAreRebound(t *testing.T) {
	e := newEnvRoles(t, noWorkers)
	m := e.newMerchant("15m")
	ctx, mid := t.Context(), uuid.MustParse(m.id)
	s, _ := secret.NewSealer(e.cfg.SecretKey)
	legacy := s.Seal([]byte(`{"merchant_id":"`+uuid.NewString()+`","transaction_token":"tok"}`), nil)
	if _, err := e.node.store.Pool.Exec(ctx, `UPDATE provider_accounts SET credentials = $2 WHERE merchant_id = $1`, mid, legacy); err != nil {
		t.Fatal(err)
	}
	n, err := e.node.engine.ResealLegacy(ctx)
	if err != nil || n != 1 {
		t.Fatalf("resealed %d: %v", n, err)
	}
	if n, _ := e.node.engine.ResealLegacy(ctx); n != 0 {
		t.Fatalf("a second pass resealed %d", n)
	}
	id := httpTransport{}.create(m, "create-legacy", chargeData("ref-legacy", "10.00"))
	e.startWorkers(nil)
	m.waitStatus(id, events.StatusAuthorized)
}

// TestConfirmCarriesItsData: charge.confirm's payment_method_info reaches
// the provider's confirm call and its metadata the transaction (both used
// to be accepted and dropped); the sealed info is gone once confirmed.
func TestConfirmCarriesItsData(t *testing.T) {
	e := newEnv(t)
	m := e.newMerchant("15m")
	id := httpTransport{}.create(m, "create-info", chargeData("ref-info", "10.00"))
	m.waitStatus(id, events.StatusAuthorized)
	httpPost(m, "/v1/charges/"+id+"/confirm", "confirm-info",
		`{"payment_method_info":{"aac":"second-gen-aac-ok"},"metadata":{"shift":"night"}}`)
	tx := m.waitStatus(id, events.StatusConfirmed)
	if tx.Metadata["shift"] != "night" || tx.Metadata["till"] != "7" {
		t.Fatalf("metadata %v", tx.Metadata)
	}
	found := false
	for _, en := range e.sims.OnoConnect.Harness().Log().Entries() {
		if en.Path == "/v2/charges/"+tx.ProviderReference+"/confirm" {
			found = found || strings.Contains(en.Body, "second-gen-aac-ok")
		}
	}
	if !found {
		t.Fatal("the confirm call did not carry payment_method_info")
	}
	if n := e.count(`SELECT count(*) FROM transactions WHERE details ? 'confirm_info_sealed'`); n != 0 {
		t.Fatal("the confirm's sealed data outlived the confirm")
	}
}
