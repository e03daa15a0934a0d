package settle_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge/settle"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/timer"
	"github.com/switchyard/switchyard/schema/schematest"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

type bundle struct {
	st     *store.Store
	sealer *secret.Sealer
	eng    *engine.Engine
	clock  *clock
	timers *timer.Service
}

func setup(t *testing.T) *bundle {
	t.Helper()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	key := make([]byte, secret.KeySize)
	_, _ = rand.Read(key)
	sealer, err := secret.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: time.Now()}
	eng := engine.New(engine.Config{Store: st, Sealer: sealer, Now: c.Now,
		Lifecycles: lifecycle.NewRegistry(saleLifecycle{}, childLifecycle{})})
	h := settle.NewHandler(settle.Config{Engine: eng, Page: 2})
	timers := timer.New(timer.Config{Engine: eng, Now: c.Now, Owners: map[string]timer.Handler{store.OwnerMerchant: h.Fire}})
	return &bundle{st: st, sealer: sealer, eng: eng, clock: c, timers: timers}
}

// merchant creates a merchant with a settlement schedule and returns its id
// and schedule.
func (b *bundle) merchant(t *testing.T, cutoff, zone string) (uuid.UUID, settle.Schedule) {
	t.Helper()
	spec := merchant.Spec{Name: "Shop " + zone}
	if cutoff != "" || zone != "" {
		spec.Settlement = &merchant.Settlement{BatchCutoff: cutoff, TimeZone: zone}
	}
	created, err := merchant.Create(t.Context(), b.st, b.sealer, spec)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := settle.ParseSchedule(cutoff, zone)
	if err != nil {
		t.Fatal(err)
	}
	return uuid.MustParse(created.ID), sched
}

// create runs a creating command at the clock's time at.
func (b *bundle) create(t *testing.T, mid uuid.UUID, at time.Time, typ string, data saleData) uuid.UUID {
	t.Helper()
	b.clock.Set(at)
	raw, _ := json.Marshal(data)
	out, err := b.eng.HandleCommand(t.Context(), mid, &events.Command{SpecVersion: "1.0", ID: uuid.NewString(), Source: "test",
		Type: typ, DataContentType: "application/json", Data: raw})
	if err != nil || out.Rejected != nil {
		t.Fatalf("%s: %v %+v", typ, err, out.Rejected)
	}
	return out.TransactionID
}

func (b *bundle) sale(t *testing.T, mid uuid.UUID, at time.Time) uuid.UUID {
	return b.create(t, mid, at, saleCreate, saleData{})
}

func (b *bundle) child(t *testing.T, mid, charge uuid.UUID, at time.Time) uuid.UUID {
	return b.create(t, mid, at, childCreate, saleData{ChargeID: charge.String()})
}

func (b *bundle) txn(t *testing.T, mid, id uuid.UUID) *store.Txn {
	t.Helper()
	x, err := b.st.TransactionGet(t.Context(), mid, id)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func (b *bundle) status(t *testing.T, mid, id uuid.UUID) string { return b.txn(t, mid, id).Status }

// cutoffTimers returns the due times of a merchant's cut-off timers.
func (b *bundle) cutoffTimers(t *testing.T, mid uuid.UUID) []time.Time {
	t.Helper()
	rows, err := b.st.Pool.Query(t.Context(), `SELECT due_at FROM timers WHERE merchant_id = $1 AND owner_kind = 'merchant'
		AND owner_id = $1 AND kind = $2`, mid, settle.TimerKind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var d time.Time
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// cutoffTimer returns a merchant's one cut-off timer's due time.
func (b *bundle) cutoffTimer(t *testing.T, mid uuid.UUID) time.Time {
	t.Helper()
	dues := b.cutoffTimers(t, mid)
	if len(dues) != 1 {
		t.Fatalf("merchant %s has %d cut-off timers (%v), want 1", mid, len(dues), dues)
	}
	return dues[0]
}

func (b *bundle) pass(t *testing.T, at time.Time) {
	t.Helper()
	b.clock.Set(at)
	if _, err := b.timers.Pass(t.Context()); err != nil {
		t.Fatal(err)
	}
}

type shop struct {
	id                         uuid.UUID
	sched                      settle.Schedule
	due                        time.Time
	before, lateSuccess, after uuid.UUID
	deferred                   uuid.UUID // a deferred refund of before
}

// TestCutoffSettlesEachMerchantsBatch: three merchants with their own
// cut-offs; each firing settles exactly that merchant's sales made before
// its cut-off, hands ParentSettled to their deferred refunds, and moves that
// merchant's one timer to its next cut-off.
func TestCutoffSettlesEachMerchantsBatch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	start := time.Now()
	var shops []*shop
	for _, s := range [][2]string{{"18:00", "Africa/Johannesburg"}, {"09:30", "America/New_York"}, {"", ""}} {
		id, sched := b.merchant(t, s[0], s[1])
		due := b.cutoffTimer(t, id)
		if want := sched.Next(start); !due.Equal(want) {
			t.Fatalf("merchant %s/%s: timer due %s, want the next cut-off %s", s[0], s[1], due, want)
		}
		shops = append(shops, &shop{id: id, sched: sched, due: due})
	}
	for _, s := range shops {
		s.before = b.sale(t, s.id, s.due.Add(-2*time.Hour))
		late := s.due.Add(time.Minute)
		s.lateSuccess = b.create(t, s.id, s.due.Add(-time.Hour), saleCreate, saleData{SucceededAt: &late})
		s.after = b.sale(t, s.id, s.due.Add(time.Minute))
		s.deferred = b.child(t, s.id, s.before, s.due.Add(-time.Hour))
	}
	order := slices.Clone(shops)
	slices.SortFunc(order, func(x, y *shop) int { return x.due.Compare(y.due) })
	for k, firing := range order {
		b.pass(t, firing.due)
		for j, s := range order {
			fired := j <= k
			want, wantChild := events.StatusSucceeded, events.StatusDeferred
			if fired {
				want, wantChild = events.StatusSettled, events.StatusRefunded
			}
			if got := b.status(t, s.id, s.before); got != want {
				t.Fatalf("firing %d: sale before %s's cut-off is %s, want %s", k, s.sched.Location, got, want)
			}
			if got := b.status(t, s.id, s.deferred); got != wantChild {
				t.Fatalf("firing %d: deferred refund of %s's sale is %s, want %s", k, s.sched.Location, got, wantChild)
			}
			for _, id := range []uuid.UUID{s.lateSuccess, s.after} {
				if got := b.status(t, s.id, id); got != events.StatusSucceeded {
					t.Fatalf("firing %d: sale of %s after its cut-off is %s, want succeeded", k, s.sched.Location, got)
				}
			}
			wantDue := s.due
			if fired {
				wantDue = s.sched.Next(s.due)
			}
			if got := b.cutoffTimer(t, s.id); !got.Equal(wantDue) {
				t.Fatalf("firing %d: %s's timer due %s, want %s", k, s.sched.Location, got, wantDue)
			}
		}
	}
	var settledBy time.Time
	lifecycle.Detail(b.txn(t, order[0].id, order[0].before), "settled_by", &settledBy)
	if !settledBy.Equal(order[0].due) {
		t.Fatalf("settled by the cut-off of %s, want %s", settledBy, order[0].due)
	}
	// The next firing of the first merchant settles the rest of its sales.
	first := order[0]
	b.pass(t, first.sched.Next(first.due))
	for _, id := range []uuid.UUID{first.lateSuccess, first.after} {
		if got := b.status(t, first.id, id); got != events.StatusSettled {
			t.Fatalf("sale after the first cut-off is %s at the second, want settled", got)
		}
	}
	var n int
	if err := b.st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM timers WHERE kind = $1`, settle.TimerKind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(shops) {
		t.Fatalf("%d cut-off timers for %d merchants", n, len(shops))
	}
}

// breakUpdate makes every UPDATE of the rows of table matching cond fail
// inside PostgreSQL (a crash in the middle of a firing, as far as the
// database can tell); the returned func repairs it.
func (b *bundle) breakUpdate(t *testing.T, table, cond string) func() {
	t.Helper()
	ctx := t.Context()
	_, err := b.st.Pool.Exec(ctx, `CREATE OR REPLACE FUNCTION fail_update() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'injected failure'; END $$;
		CREATE TRIGGER fail_update BEFORE UPDATE ON `+table+` FOR EACH ROW WHEN (`+cond+`) EXECUTE FUNCTION fail_update()`)
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := b.st.Pool.Exec(context.Background(), `DROP TRIGGER fail_update ON `+table); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCutoffRefiresAfterCrash: a firing that dies after settling some of
// the batch fires again and finishes it, with the same At, without
// touching what was done; a firing that dies just before moving the timer
// fires again and changes nothing.
func TestCutoffRefiresAfterCrash(t *testing.T) {
	t.Parallel()
	b := setup(t)
	mid, sched := b.merchant(t, "18:00", "Africa/Johannesburg")
	due := b.cutoffTimer(t, mid)
	var sales, children []uuid.UUID
	for i := range 3 {
		sales = append(sales, b.sale(t, mid, due.Add(-time.Duration(3-i)*time.Hour)))
		children = append(children, b.child(t, mid, sales[i], due.Add(-time.Minute)))
	}
	repair := b.breakUpdate(t, "transactions", "OLD.id = '"+sales[1].String()+"'")
	b.pass(t, due)
	if got := b.status(t, mid, sales[0]); got != events.StatusSettled {
		t.Fatalf("first sale is %s after the failed firing, want settled", got)
	}
	if got := b.status(t, mid, sales[1]); got != events.StatusSucceeded {
		t.Fatalf("second sale is %s after the failed firing, want succeeded", got)
	}
	if got := b.cutoffTimer(t, mid); !got.After(due) || !got.Before(due.Add(time.Hour)) {
		t.Fatalf("failed firing's timer is due %s, want it postponed a little after %s", got, due)
	}
	v0 := b.txn(t, mid, sales[0]).Version
	repair()

	b.pass(t, due.Add(time.Hour)) // past the postponement
	for i := range sales {
		s := b.txn(t, mid, sales[i])
		var by time.Time
		lifecycle.Detail(s, "settled_by", &by)
		if s.Status != events.StatusSettled || !by.Equal(due) {
			t.Fatalf("sale %d is %s settled by %s, want settled by the cut-off %s", i, s.Status, by, due)
		}
		if got := b.status(t, mid, children[i]); got != events.StatusRefunded {
			t.Fatalf("deferred refund %d is %s, want refunded", i, got)
		}
	}
	if v := b.txn(t, mid, sales[0]).Version; v != v0 {
		t.Fatalf("the sale settled before the crash went from version %d to %d", v0, v)
	}
	next := sched.Next(due)
	if got := b.cutoffTimer(t, mid); !got.Equal(next) {
		t.Fatalf("timer due %s, want %s", got, next)
	}

	// Dies just before moving the timer: fires again, changes nothing.
	versions := map[uuid.UUID]int{}
	for _, id := range append(slices.Clone(sales), children...) {
		versions[id] = b.txn(t, mid, id).Version
	}
	repair = b.breakUpdate(t, "timers", "OLD.owner_id = '"+mid.String()+"' AND NEW.failures = OLD.failures")
	b.pass(t, next)
	repair()
	b.pass(t, next.Add(time.Hour))
	for id, v := range versions {
		if got := b.txn(t, mid, id).Version; got != v {
			t.Fatalf("re-firing changed %s from version %d to %d", id, v, got)
		}
	}
	if got := b.cutoffTimer(t, mid); !got.Equal(sched.Next(next)) {
		t.Fatalf("timer due %s, want %s", got, sched.Next(next))
	}
}

// TestEnsure: a merchant without a cut-off timer gets one at its next
// cut-off; one that has one keeps it; a second pass adds nothing.
func TestEnsure(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m1, s1 := b.merchant(t, "18:00", "Africa/Johannesburg")
	m2, _ := b.merchant(t, "", "")
	kept := b.cutoffTimer(t, m2)
	if _, err := b.st.Pool.Exec(t.Context(), `DELETE FROM timers WHERE merchant_id = $1`, m1); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	n, err := settle.Ensure(t.Context(), b.st, now)
	if err != nil || n != 1 {
		t.Fatalf("Ensure = %d, %v; want 1 timer set", n, err)
	}
	if got := b.cutoffTimer(t, m1); !got.Equal(s1.Next(now)) {
		t.Fatalf("ensured timer due %s, want %s", got, s1.Next(now))
	}
	if got := b.cutoffTimer(t, m2); !got.Equal(kept) {
		t.Fatalf("existing timer moved from %s to %s", kept, got)
	}
	if n, err := settle.Ensure(t.Context(), b.st, now); err != nil || n != 0 {
		t.Fatalf("second Ensure = %d, %v; want 0", n, err)
	}
}

// TestChangeScheduleMovesTimer: changing a merchant's cut-off stores it and
// moves its one timer in the same commit.
func TestChangeScheduleMovesTimer(t *testing.T) {
	t.Parallel()
	b := setup(t)
	mid, _ := b.merchant(t, "18:00", "Africa/Johannesburg")
	now := time.Now()
	got, err := merchant.SetSettlement(t.Context(), b.st, mid, merchant.Settlement{BatchCutoff: "02:30", TimeZone: "America/New_York"})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := settle.ParseSchedule("02:30", "America/New_York")
	if got.BatchCutoff != "02:30" || got.TimeZone != "America/New_York" || got.NextCutoff.Before(now) {
		t.Fatalf("SetSettlement = %+v", got)
	}
	if due := b.cutoffTimer(t, mid); !due.Equal(want.Next(now)) || !due.Equal(got.NextCutoff) {
		t.Fatalf("timer due %s, want %s", due, want.Next(now))
	}
	m, err := b.st.MerchantGet(t.Context(), mid)
	if err != nil || m.BatchCutoff != "02:30" || m.BatchTimeZone != "America/New_York" {
		t.Fatalf("merchant after the change: %+v, %v", m, err)
	}
	_, err = merchant.SetSettlement(t.Context(), b.st, mid, merchant.Settlement{BatchCutoff: "02:30", TimeZone: "Europe/Atlantis"})
	if !hasField(err, "settlement.time_zone") {
		t.Fatalf("bad zone: %v", err)
	}
	if _, err := merchant.SetSettlement(t.Context(), b.st, uuid.New(), merchant.Settlement{}); err == nil {
		t.Fatal("SetSettlement of no merchant succeeded")
	}
}

// TestDeferredSiblingOfRefundedParent: a firing that dies after the first
// of two deferred refunds of a charge was made (the charge is now
// partially_refunded, no longer settled) still hands ParentSettled to the
// second when it fires again.
func TestDeferredSiblingOfRefundedParent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	mid, _ := b.merchant(t, "18:00", "Africa/Johannesburg")
	due := b.cutoffTimer(t, mid)
	sale := b.sale(t, mid, due.Add(-time.Hour))
	first := b.create(t, mid, due.Add(-30*time.Minute), childCreate, saleData{ChargeID: sale.String(), RefundsParent: true})
	second := b.create(t, mid, due.Add(-20*time.Minute), childCreate, saleData{ChargeID: sale.String(), RefundsParent: true})
	repair := b.breakUpdate(t, "transactions", "OLD.id = '"+second.String()+"'")
	b.pass(t, due)
	if got := b.status(t, mid, first); got != events.StatusRefunded {
		t.Fatalf("first deferred refund is %s, want refunded", got)
	}
	if got := b.status(t, mid, sale); got != events.StatusPartiallyRefunded {
		t.Fatalf("charge is %s, want partially_refunded", got)
	}
	repair()
	b.pass(t, due.Add(time.Hour))
	if got := b.status(t, mid, second); got != events.StatusRefunded {
		t.Fatalf("second deferred refund is %s after the re-firing, want refunded", got)
	}
}
