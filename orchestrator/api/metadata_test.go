package api_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/orchestrator/store"
)

func (m *merchantAPI) patchMetadata(s shop, id uuid.UUID, key, body string) (int, []byte) {
	m.t.Helper()
	h := []string{"Content-Type", "application/merge-patch+json"}
	if key != "" {
		h = append(h, "Idempotency-Key", key)
	}
	return m.call(s, "PATCH", "/v1/transactions/"+id.String()+"/metadata", body, h...)
}

// history is a transaction's events as kept in transaction_events, and
// the outbox rows of its merchant.
func (m *merchantAPI) history(t *store.Txn) ([]events.Event, []string) {
	m.t.Helper()
	evs, err := m.st.TransactionEvents(m.t.Context(), t.MerchantID, t.ID)
	if err != nil {
		m.t.Fatal(err)
	}
	var out []events.Event
	for _, e := range evs {
		var ev events.Event
		if err := json.Unmarshal(e.Envelope, &ev); err != nil {
			m.t.Fatal(err)
		}
		out = append(out, ev)
	}
	rows, err := m.st.Pool.Query(m.t.Context(), `SELECT subject || ' ' || msg_id FROM outbox WHERE merchant_id = $1 ORDER BY id`, t.MerchantID)
	if err != nil {
		m.t.Fatal(err)
	}
	defer rows.Close()
	var outbox []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		outbox = append(outbox, s)
	}
	return out, outbox
}

func (m *merchantAPI) newCharge(s shop, metadata map[string]string) *store.Txn {
	m.t.Helper()
	return m.insert(s, txn{at: time.Now().UTC().Truncate(time.Microsecond), typ: "charge", status: "succeeded",
		provider: "processone", ref: uuid.NewString()[:8], metadata: metadata})
}

// TestPatchMetadata: a merge patch sets and removes keys, bumps the version
// and commits a charge.metadata_updated event (next sequence, the
// transaction resource as its data, in the history and the outbox); the
// answer is the transaction as GET shows it.
func TestPatchMetadata(t *testing.T) {
	t.Parallel()
	m := newMerchantAPI(t)
	c := m.newCharge(m.a, map[string]string{"till": "3", "shift": "am", "keep": "yes"})

	st, body := m.patchMetadata(m.a, c.ID, "meta-1", `{"till":"4","shift":null,"order":"A-17","absent":null}`)
	var got events.Transaction
	_ = json.Unmarshal(body, &got)
	want := map[string]string{"till": "4", "keep": "yes", "order": "A-17"}
	if st != http.StatusOK || !maps.Equal(got.Metadata, want) || got.Version != 2 || got.Status != "succeeded" {
		t.Fatalf("patch: %d %s, want 200 with metadata %v at version 2", st, body, want)
	}
	_, shown := m.call(m.a, "GET", "/v1/transactions/"+c.ID.String(), "")
	var again events.Transaction
	_ = json.Unmarshal(shown, &again)
	if !maps.Equal(again.Metadata, want) || again.Version != 2 || !again.UpdatedAt.Equal(got.UpdatedAt) {
		t.Fatalf("GET after patch: %s", shown)
	}

	evs, outbox := m.history(c)
	if len(evs) != 1 || len(outbox) != 1 {
		t.Fatalf("events %+v, outbox %v: want one of each", evs, outbox)
	}
	ev := evs[0]
	if ev.Type != "charge.metadata_updated" || ev.Sequence != 2 || ev.Subject != c.ID.String() || ev.CausationID != "meta-1" ||
		ev.MerchantID != m.a.id.String() || ev.Data.Transaction == nil || !maps.Equal(ev.Data.Transaction.Metadata, want) ||
		ev.Data.Transaction.Version != 2 {
		t.Fatalf("event %+v", ev)
	}
	if wantRow := events.EventSubject(m.a.id.String(), "charge.metadata_updated") + " " + ev.ID; outbox[0] != wantRow {
		t.Fatalf("outbox %v, want %q", outbox, wantRow)
	}

	// A second patch: the next sequence and version.
	if st, body := m.patchMetadata(m.a, c.ID, "meta-2", `{"keep":null}`); st != http.StatusOK {
		t.Fatalf("second patch: %d %s", st, body)
	}
	evs, outbox = m.history(c)
	if len(evs) != 2 || evs[1].Sequence != 3 || evs[1].Data.Transaction.Version != 3 || len(outbox) != 2 ||
		!maps.Equal(evs[1].Data.Transaction.Metadata, map[string]string{"till": "4", "order": "A-17"}) {
		t.Fatalf("after the second patch: events %+v, outbox %v", evs, outbox)
	}
}

// TestPatchMetadataBounds: the merged metadata keeps the contract's bounds
// (at most events.MaxMetadataKeys keys of 1-40 characters, values of at
// most 500), and the body must be an object of strings and nulls naming a
// key; each refusal is a 400 naming the field and writes nothing.
func TestPatchMetadataBounds(t *testing.T) {
	t.Parallel()
	m := newMerchantAPI(t)
	full := map[string]string{}
	for i := range events.MaxMetadataKeys - 1 {
		full[fmt.Sprintf("k%02d", i)] = "v"
	}
	c := m.newCharge(m.a, full) // one key short of the bound

	cases := []struct{ name, body, field string }{
		{"two more keys than room for one", `{"x":"1","y":"2"}`, "metadata"},
		{"key of 41 characters", `{"` + strings.Repeat("k", 41) + `":"v"}`, "metadata"},
		{"empty key", `{"":"v"}`, "metadata"},
		{"value of 501 characters", `{"note":"` + strings.Repeat("v", 501) + `"}`, "metadata.note"},
		{"number", `{"till":4}`, "metadata.till"},
		{"object", `{"till":{"n":4}}`, "metadata.till"},
		{"empty patch", `{}`, "body"},
		{"no body", ``, "body"},
		{"array", `["till"]`, "body"},
		{"null", `null`, "body"},
		{"two objects", `{"a":"1"}{"b":"2"}`, "body"},
	}
	for i, tc := range cases {
		st, body := m.patchMetadata(m.a, c.ID, fmt.Sprintf("bad-%d", i), tc.body)
		var p api.Problem
		_ = json.Unmarshal(body, &p)
		if st != http.StatusBadRequest || p.Code != events.ReasonInvalidRequest || p.Field != tc.field {
			t.Errorf("%s: %d %s, want 400 naming %q", tc.name, st, body, tc.field)
		}
	}
	if evs, outbox := m.history(c); len(evs) != 0 || len(outbox) != 0 {
		t.Fatalf("refused patches wrote events %+v, outbox %v", evs, outbox)
	}

	// Right at the bounds: the 50th key, of 40 characters, with 500 characters,
	// while removing one and adding another keeps 50.
	long := strings.Repeat("k", 40)
	if st, body := m.patchMetadata(m.a, c.ID, "ok-1", `{"`+long+`":"`+strings.Repeat("v", 500)+`"}`); st != http.StatusOK {
		t.Fatalf("50th key: %d %s", st, body)
	}
	if st, body := m.patchMetadata(m.a, c.ID, "ok-2", `{"k00":null,"new":"v"}`); st != http.StatusOK {
		t.Fatalf("swap a key at 50: %d %s", st, body)
	}
	after, err := m.st.TransactionGet(t.Context(), m.a.id, c.ID)
	if err != nil || len(after.Metadata) != events.MaxMetadataKeys || after.Version != 3 {
		t.Fatalf("after: %+v %v", after, err)
	}
}

// TestPatchMetadataIdempotency: the Idempotency-Key is required; a repeat
// returns the first answer (marked replayed) without a second event; the
// same key with another body, or for another transaction, is 422.
func TestPatchMetadataIdempotency(t *testing.T) {
	t.Parallel()
	m := newMerchantAPI(t)
	c := m.newCharge(m.a, nil)
	d := m.newCharge(m.a, nil)

	st, body := m.patchMetadata(m.a, c.ID, "", `{"a":"1"}`)
	var p api.Problem
	_ = json.Unmarshal(body, &p)
	if st != http.StatusBadRequest || p.Field != "Idempotency-Key" {
		t.Fatalf("no key: %d %s", st, body)
	}
	st1, first := m.patchMetadata(m.a, c.ID, "k1", `{"a":"1"}`)
	if st1 != http.StatusOK {
		t.Fatalf("first: %d %s", st1, first)
	}
	// Another change in between: the repeat still answers as the first time.
	if st, body := m.patchMetadata(m.a, c.ID, "k2", `{"b":"2"}`); st != http.StatusOK {
		t.Fatalf("k2: %d %s", st, body)
	}
	req, _ := http.NewRequest("PATCH", m.url+"/v1/transactions/"+c.ID.String()+"/metadata", strings.NewReader(`{"a":"1"}`))
	req.Header.Set("Authorization", "Bearer "+m.a.key)
	req.Header.Set("Idempotency-Key", "k1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var again events.Transaction
	_ = json.NewDecoder(resp.Body).Decode(&again)
	resp.Body.Close()
	var firstTxn events.Transaction
	_ = json.Unmarshal(first, &firstTxn)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Idempotent-Replayed") != "true" || again.Version != firstTxn.Version ||
		!maps.Equal(again.Metadata, map[string]string{"a": "1"}) {
		t.Fatalf("repeat: %d %+v, replayed %q; first %s", resp.StatusCode, again, resp.Header.Get("Idempotent-Replayed"), first)
	}
	for _, tc := range []struct {
		name string
		id   uuid.UUID
		body string
	}{{"other body", c.ID, `{"a":"2"}`}, {"other transaction", d.ID, `{"a":"1"}`}} {
		st, body := m.patchMetadata(m.a, tc.id, "k1", tc.body)
		_ = json.Unmarshal(body, &p)
		if st != http.StatusUnprocessableEntity || p.Code != events.ReasonIdempotencyConflict {
			t.Errorf("%s with k1: %d %s, want 422 idempotency_conflict", tc.name, st, body)
		}
	}
	if evs, _ := m.history(c); len(evs) != 2 {
		t.Fatalf("%d events for two patches and a repeat", len(evs))
	}
	if evs, _ := m.history(d); len(evs) != 0 {
		t.Fatalf("the refused request changed the other transaction: %+v", evs)
	}
}

// TestPatchMetadataOtherMerchant: merchant B patching A's transaction (or
// an id that is nobody's) gets 404, and A's transaction is untouched.
func TestPatchMetadataOtherMerchant(t *testing.T) {
	t.Parallel()
	m := newMerchantAPI(t)
	c := m.newCharge(m.a, map[string]string{"till": "3"})
	for _, tc := range []struct {
		who  shop
		path string
	}{
		{m.b, c.ID.String()},
		{m.a, uuid.NewString()},
		{m.a, "not-an-id"},
	} {
		st, body := m.call(tc.who, "PATCH", "/v1/transactions/"+tc.path+"/metadata", `{"till":"9"}`, "Idempotency-Key", "x-"+tc.path)
		var p api.Problem
		_ = json.Unmarshal(body, &p)
		if st != http.StatusNotFound || p.Code != events.ReasonNotFound {
			t.Errorf("%s: %d %s, want 404", tc.path, st, body)
		}
	}
	after, err := m.st.TransactionGet(t.Context(), m.a.id, c.ID)
	if err != nil || after.Metadata["till"] != "3" || after.Version != 1 {
		t.Fatalf("A's transaction after B's patch: %+v %v", after, err)
	}
	if evs, outbox := m.history(c); len(evs) != 0 || len(outbox) != 0 {
		t.Fatalf("events %+v, outbox %v", evs, outbox)
	}
	// The same request from A is answered: the 404s were B's, not the route's.
	if st, body := m.patchMetadata(m.a, c.ID, "x-"+c.ID.String(), `{"till":"9"}`); st != http.StatusOK {
		t.Fatalf("A's own patch: %d %s", st, body)
	}
}

// TestPatchMetadataConcurrent: patches of one transaction at once, each
// with its own key, all land: the row lock orders them, so no key is lost,
// the version counts each one and the events' sequence has no gap.
func TestPatchMetadataConcurrent(t *testing.T) {
	t.Parallel()
	m := newMerchantAPI(t)
	c := m.newCharge(m.a, nil)
	const n = 8
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Go(func() {
			codes[i], _ = m.patchMetadata(m.a, c.ID, fmt.Sprintf("c-%d", i), fmt.Sprintf(`{"k%d":"v"}`, i))
		})
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusOK {
			t.Fatalf("patch %d: %d", i, code)
		}
	}
	after, err := m.st.TransactionGet(t.Context(), m.a.id, c.ID)
	if err != nil || len(after.Metadata) != n || after.Version != 1+n || after.EventSeq != 1+n {
		t.Fatalf("after %d patches: %+v %v", n, after, err)
	}
	evs, _ := m.history(c)
	for i, ev := range evs {
		if ev.Sequence != 2+i || ev.Data.Transaction.Version != 2+i {
			t.Fatalf("event %d: sequence %d, version %d", i, ev.Sequence, ev.Data.Transaction.Version)
		}
	}
}
