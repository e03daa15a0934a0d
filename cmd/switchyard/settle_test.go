package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchyard/switchyard/orchestrator/charge/settle"
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
