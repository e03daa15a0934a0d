package api_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/orchestrator/charge/settle"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

const adminToken = "admin-secret"

type adminAPI struct {
	t   *testing.T
	st  *store.Store
	url string
}

func newAdminAPI(t *testing.T) *adminAPI {
	t.Helper()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 2)
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
	a := api.New(api.Config{Engine: engine.New(engine.Config{Store: st, Sealer: sealer}), AdminToken: adminToken})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &adminAPI{t: t, st: st, url: srv.URL}
}

// do sends body to path with the admin token (none when token is "") and
// decodes the answer into out.
func (a *adminAPI) do(method, path, token, body string, out any) int {
	a.t.Helper()
	req, _ := http.NewRequest(method, a.url+path, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			a.t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}

type settlementAnswer struct {
	BatchCutoff string    `json:"batch_cutoff"`
	TimeZone    string    `json:"time_zone"`
	NextCutoff  time.Time `json:"next_cutoff"`
}

func (a *adminAPI) timerDue(mid string) []time.Time {
	a.t.Helper()
	rows, err := a.st.Pool.Query(a.t.Context(), `SELECT due_at FROM timers WHERE merchant_id = $1 AND kind = $2`, mid, settle.TimerKind)
	if err != nil {
		a.t.Fatal(err)
	}
	var out []time.Time
	for rows.Next() {
		var d time.Time
		_ = rows.Scan(&d)
		out = append(out, d)
	}
	rows.Close()
	return out
}

// TestAdminMerchantSettlement: the merchant body's optional settlement
// object sets the batch cut-off (default 00:00 UTC) and the merchant's one
// cut-off timer; bad values are refused naming the field; PATCH
// /v1/admin/merchants/{id}/settlement changes it and moves the timer.
func TestAdminMerchantSettlement(t *testing.T) {
	t.Parallel()
	a := newAdminAPI(t)

	var created struct {
		ID         string           `json:"id"`
		Settlement settlementAnswer `json:"settlement"`
	}
	before := time.Now()
	status := a.do("POST", "/v1/admin/merchants", adminToken,
		`{"name":"Corner Shop","settlement":{"batch_cutoff":"18:00","time_zone":"Africa/Johannesburg"}}`, &created)
	jhb, _ := settle.ParseSchedule("18:00", "Africa/Johannesburg")
	if status != http.StatusCreated || created.Settlement.BatchCutoff != "18:00" || created.Settlement.TimeZone != "Africa/Johannesburg" {
		t.Fatalf("create: %d %+v", status, created)
	}
	if due := a.timerDue(created.ID); len(due) != 1 || !due[0].Equal(created.Settlement.NextCutoff) || due[0].Before(before) ||
		!due[0].Equal(jhb.Next(due[0].Add(-24*time.Hour))) {
		t.Fatalf("cut-off timers %v, answer says next %s", due, created.Settlement.NextCutoff)
	}

	var dflt struct {
		ID         string           `json:"id"`
		Settlement settlementAnswer `json:"settlement"`
	}
	if status := a.do("POST", "/v1/admin/merchants", adminToken, `{"name":"Default Shop"}`, &dflt); status != http.StatusCreated ||
		dflt.Settlement.BatchCutoff != "00:00" || dflt.Settlement.TimeZone != "UTC" || len(a.timerDue(dflt.ID)) != 1 {
		t.Fatalf("default: %d %+v", status, dflt)
	}

	for _, tc := range []struct{ body, field string }{
		{`{"name":"A","settlement":{"batch_cutoff":"18:00","time_zone":"Mars/Olympus_Mons"}}`, "settlement.time_zone"},
		{`{"name":"A","settlement":{"batch_cutoff":"25:00","time_zone":"UTC"}}`, "settlement.batch_cutoff"},
		{`{"name":"A","settlement":{"batch_cutoff":"6pm"}}`, "settlement.batch_cutoff"},
	} {
		var p api.Problem
		if status := a.do("POST", "/v1/admin/merchants", adminToken, tc.body, &p); status != http.StatusBadRequest || p.Field != tc.field {
			t.Errorf("%s: %d %+v, want 400 naming %s", tc.body, status, p, tc.field)
		}
	}

	path := "/v1/admin/merchants/" + created.ID + "/settlement"
	var changed settlementAnswer
	status = a.do("PATCH", path, adminToken, `{"batch_cutoff":"02:30","time_zone":"America/New_York"}`, &changed)
	ny, _ := settle.ParseSchedule("02:30", "America/New_York")
	if status != http.StatusOK || changed.BatchCutoff != "02:30" || changed.TimeZone != "America/New_York" ||
		!changed.NextCutoff.Equal(ny.Next(changed.NextCutoff.Add(-24*time.Hour))) {
		t.Fatalf("patch: %d %+v", status, changed)
	}
	if due := a.timerDue(created.ID); len(due) != 1 || !due[0].Equal(changed.NextCutoff) {
		t.Fatalf("after the change: cut-off timers %v, want one at %s", due, changed.NextCutoff)
	}
	var partial settlementAnswer
	if status := a.do("PATCH", path, adminToken, `{"batch_cutoff":"03:15"}`, &partial); status != http.StatusOK ||
		partial.BatchCutoff != "03:15" || partial.TimeZone != "America/New_York" {
		t.Fatalf("partial patch: %d %+v, want the time zone kept", status, partial)
	}
	changed = partial
	for _, tc := range []struct {
		path, token, body string
		status            int
		field             string
	}{
		{path, "", `{"batch_cutoff":"03:00"}`, http.StatusUnauthorized, "Authorization"},
		{path, "wrong", `{"batch_cutoff":"03:00"}`, http.StatusUnauthorized, "Authorization"},
		{path, adminToken, `{"batch_cutoff":"3:00"}`, http.StatusBadRequest, "batch_cutoff"},
		{path, adminToken, `{"time_zone":"Local"}`, http.StatusBadRequest, "time_zone"},
		{path, adminToken, `{"cutoff":"03:00"}`, http.StatusBadRequest, "body"},
		{"/v1/admin/merchants/" + uuid.NewString() + "/settlement", adminToken, `{}`, http.StatusNotFound, "id"},
		{"/v1/admin/merchants/nope/settlement", adminToken, `{}`, http.StatusNotFound, "id"},
	} {
		var p api.Problem
		if status := a.do("PATCH", tc.path, tc.token, tc.body, &p); status != tc.status || p.Field != tc.field {
			t.Errorf("PATCH %s %s: %d %+v, want %d naming %s", tc.path, tc.body, status, p, tc.status, tc.field)
		}
	}
	if due := a.timerDue(created.ID); len(due) != 1 || !due[0].Equal(changed.NextCutoff) {
		t.Fatalf("refused changes moved the timer: %v", due)
	}
}
