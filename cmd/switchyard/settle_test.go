package main

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchyard/switchyard/orchestrator/charge/settle"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
	"github.com/switchyard/switchyard/workers/processone/processonesim"
	"github.com/switchyard/switchyard/workers/simhost"
)

// TestNodeRunsCutoffTimers: a node with the timers role gives a merchant
// without a cut-off timer one when it starts, and fires merchants' cut-off
// timers (moving each to its next cut-off).
func TestNodeRunsCutoffTimers(t *testing.T) {
	e := newEnvRoles(t, []string{"api"})
	var created struct {
		ID string `json:"id"`
	}
	if code := e.do("POST", "/v1/admin/merchants", "admin-token", "",
		`{"name":"Shop","settlement":{"batch_cutoff":"18:00","time_zone":"Africa/Johannesburg"}}`, &created); code != http.StatusCreated {
		t.Fatalf("create merchant: %d", code)
	}
	pool, err := pgxpool.New(t.Context(), e.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(t.Context(), `DELETE FROM timers WHERE merchant_id = $1`, created.ID); err != nil {
		t.Fatal(err)
	}
	timer := func() (due time.Time, failures int) {
		t.Helper()
		err := pool.QueryRow(t.Context(), `SELECT due_at, failures FROM timers WHERE merchant_id = $1 AND kind = $2`,
			created.ID, settle.TimerKind).Scan(&due, &failures)
		if err != nil {
			t.Fatalf("the merchant's cut-off timer: %v", err)
		}
		return due, failures
	}

	cfg := e.cfg
	cfg.Roles = []string{"timers"}
	n, err := startNode(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.stop)
	sched, _ := settle.ParseSchedule("18:00", "Africa/Johannesburg")
	if due, _ := timer(); !due.Equal(sched.Next(time.Now())) {
		t.Fatalf("ensured timer due %s, want %s", due, sched.Next(time.Now()))
	}

	past := sched.Next(time.Now().Add(-48 * time.Hour)) // a cut-off two days ago
	if _, err := pool.Exec(t.Context(), `UPDATE timers SET due_at = $2 WHERE merchant_id = $1`, created.ID, past); err != nil {
		t.Fatal(err)
	}
	want := sched.Next(time.Now()) // it catches up, one cut-off at a time
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		due, failures := timer()
		if due.Equal(want) && failures == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cut-off timer due %s (failures %d), want it fired and moved to %s", due, failures, want)
		}
	}
}

// simNextClose is a ProcessOne simulator's next scheduled batch close.
func simNextClose(t *testing.T, h http.Handler) time.Time {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/_sim/batch", nil))
	var st struct {
		NextClose time.Time `json:"next_close"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
		t.Fatalf("GET /_sim/batch: %d %s", rec.Code, rec.Body)
	}
	return st.NextClose
}

// TestSimulatorClosesAtMerchantCutoff: the ProcessOne simulator's batch
// closes exactly when the orchestrator settles a merchant with the same
// cut-off and time zone, DST days included.
func TestSimulatorClosesAtMerchantCutoff(t *testing.T) {
	t.Parallel()
	for _, zone := range []string{"UTC", "Africa/Johannesburg", "America/New_York", "America/Santiago", "Australia/Lord_Howe"} {
		for _, cut := range []string{"00:00", "01:30", "02:30", "18:00"} {
			sched, err := settle.ParseSchedule(cut, zone)
			if err != nil {
				t.Fatal(err)
			}
			for at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() == 2026; at = at.Add(173 * time.Minute) {
				now := at
				sim := processonesim.New(processonesim.Options{BatchCutoff: cut, BatchTimeZone: zone, Now: func() time.Time { return now }})
				if got, want := simNextClose(t, sim.Handler()), sched.Next(now); !got.Equal(want) {
					t.Fatalf("%s %s at %s: simulator closes at %s, orchestrator settles at %s", zone, cut, now, got, want)
				}
			}
		}
	}
}

// TestDevSimulatorFollowsDemoCutoff: dev sets the ProcessOne simulator's
// batch close from the demo merchant's settlement.
func TestDevSimulatorFollowsDemoCutoff(t *testing.T) {
	t.Parallel()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	sealer, err := secret.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	spec := demoSpec("demo-callback-secret")
	spec.Settlement = &merchant.Settlement{BatchCutoff: "17:45", TimeZone: "Africa/Johannesburg"}
	m, err := merchant.Create(t.Context(), st, sealer, spec)
	if err != nil {
		t.Fatal(err)
	}
	d := &devRun{node: &node{store: st}, sims: simhost.New(), info: devInfo{MerchantID: m.ID}}
	if err := d.followDemoCutoff(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := simNextClose(t, d.sims.ProcessOne.Handler()); !got.Equal(m.Settlement.NextCutoff) {
		t.Fatalf("simulator closes at %s, the demo merchant's next cut-off is %s", got, m.Settlement.NextCutoff)
	}
}
