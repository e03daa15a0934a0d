package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// merchantAPI is an API on its own database with two merchants, A and B,
// whose transactions tests write straight through the store.
type merchantAPI struct {
	*adminAPI
	a, b shop
}

type shop struct {
	id  uuid.UUID
	key string
}

func newMerchantAPI(t *testing.T) *merchantAPI {
	t.Helper()
	m := &merchantAPI{adminAPI: newAdminAPI(t)}
	m.a, m.b = m.newShop(), m.newShop()
	return m
}

func (m *merchantAPI) newShop() shop {
	m.t.Helper()
	var created struct {
		ID     uuid.UUID `json:"id"`
		APIKey string    `json:"api_key"`
	}
	if st := m.do("POST", "/v1/admin/merchants", adminToken, `{"name":"Shop"}`, &created); st != http.StatusCreated {
		m.t.Fatalf("create merchant: %d", st)
	}
	return shop{id: created.ID, key: created.APIKey}
}

// txn is a transaction a test writes.
type txn struct {
	at                              time.Time
	typ, status, provider, ref, cus string
	parent                          *uuid.UUID
	metadata                        map[string]string
}

func (m *merchantAPI) insert(s shop, x txn) *store.Txn {
	m.t.Helper()
	t := &store.Txn{ID: uuid.New(), MerchantID: s.id, Type: x.typ, Status: x.status, Provider: x.provider,
		Amount: decimal.RequireFromString("10.50"), Currency: "ZAR", Reference: x.ref, ParentID: x.parent,
		Metadata: x.metadata, Details: map[string]json.RawMessage{}, Version: 1, EventSeq: 1, CreatedAt: x.at}
	if t.Metadata == nil {
		t.Metadata = map[string]string{}
	}
	if x.cus != "" {
		t.Details["customer_id"], _ = json.Marshal(x.cus)
	}
	err := m.st.InTx(m.t.Context(), func(tx pgx.Tx) error {
		var b store.Batch
		b.TransactionInsert(t)
		return b.Send(m.t.Context(), tx)
	})
	if err != nil {
		m.t.Fatal(err)
	}
	return t
}

// call sends a request with the merchant's key and extra headers and
// returns the status and body.
func (m *merchantAPI) call(s shop, method, path, body string, header ...string) (int, []byte) {
	m.t.Helper()
	req, _ := http.NewRequest(method, m.url+path, bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+s.key)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

type page struct {
	Data       []events.Transaction `json:"data"`
	NextCursor *string              `json:"next_cursor"`
}

func (m *merchantAPI) search(s shop, query string) page {
	m.t.Helper()
	st, body := m.call(s, "GET", "/v1/transactions?"+query, "")
	if st != http.StatusOK {
		m.t.Fatalf("search %q: %d %s", query, st, body)
	}
	var p page
	if err := json.Unmarshal(body, &p); err != nil {
		m.t.Fatalf("search %q: %v: %s", query, err, body)
	}
	return p
}

func pageIDs(p page) []string {
	out := []string{}
	for _, t := range p.Data {
		out = append(out, t.ID)
	}
	return out
}

func idsOf(ts ...*store.Txn) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.ID.String())
	}
	return out
}

// TestSearchTransactions: every filter over HTTP, newest first, resources
// rendered as GET /v1/transactions/{id} renders them, and merchant B never
// sees merchant A's transactions, whatever the filter.
func TestSearchTransactions(t *testing.T) {
	t.Parallel()
	m := newMerchantAPI(t)
	base := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return base.Add(time.Duration(min) * time.Minute) }
	c1 := m.insert(m.a, txn{at: at(1), typ: "charge", status: "succeeded", provider: "onoconnect", ref: "ord-1", cus: "cus 1",
		metadata: map[string]string{"till": "3"}})
	c2 := m.insert(m.a, txn{at: at(2), typ: "charge", status: "declined", provider: "processone", ref: "ord-2", cus: "cus 2"})
	r1 := m.insert(m.a, txn{at: at(3), typ: "refund", status: "succeeded", provider: "onoconnect", ref: "ord-1", parent: &c1.ID})
	p1 := m.insert(m.a, txn{at: at(4), typ: "purchase", status: "pending", provider: "utility"})

	cases := []struct {
		query string
		want  []string
	}{
		{"", idsOf(p1, r1, c2, c1)},
		{"reference=ord-1", idsOf(r1, c1)},
		{"customer_id=" + url.QueryEscape("cus 1"), idsOf(c1)},
		{"type=charge", idsOf(c2, c1)},
		{"status=succeeded", idsOf(r1, c1)},
		{"provider=onoconnect", idsOf(r1, c1)},
		{"parent_id=" + c1.ID.String(), idsOf(r1)},
		{"from=" + at(2).Format(time.RFC3339), idsOf(p1, r1, c2)},
		{"to=" + at(2).Format(time.RFC3339), idsOf(c1)},
		{"from=" + url.QueryEscape(at(2).Add(-time.Second).Format(time.RFC3339Nano)) + "&to=" + at(3).Format(time.RFC3339), idsOf(c2)},
		{"type=charge&status=succeeded&provider=onoconnect&reference=ord-1", idsOf(c1)},
		{"status=failed", idsOf()},
	}
	for _, tc := range cases {
		if got := pageIDs(m.search(m.a, tc.query)); !slices.Equal(got, tc.want) {
			t.Errorf("A: %q: got %v, want %v", tc.query, got, tc.want)
		}
		if got := pageIDs(m.search(m.b, tc.query)); len(got) != 0 {
			t.Errorf("B: %q: sees A's %v", tc.query, got)
		}
	}

	// Each resource is the one GET /v1/transactions/{id} answers.
	for _, x := range m.search(m.a, "").Data {
		st, body := m.call(m.a, "GET", "/v1/transactions/"+x.ID, "")
		listed, _ := json.Marshal(x)
		var one events.Transaction
		_ = json.Unmarshal(body, &one)
		got, _ := json.Marshal(one)
		if st != http.StatusOK || !bytes.Equal(listed, got) {
			t.Errorf("listed %s, GET answers %d %s", listed, st, got)
		}
	}
	if p := m.search(m.a, "reference=ord-2"); len(p.Data) != 1 || p.Data[0].Amount != "10.50" || p.NextCursor != nil {
		t.Errorf("one row: %+v", p)
	}
}

// TestSearchPages: limit (20 by default) and next_cursor walk every row
// once, newest first, including rows created at the same instant; the last
// page has no next_cursor.
func TestSearchPages(t *testing.T) {
	t.Parallel()
	m := newMerchantAPI(t)
	base := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	var want []string
	for i := range 45 {
		// Three rows at each instant.
		x := m.insert(m.a, txn{at: base.Add(time.Duration(i/3) * time.Second), typ: "charge", status: "succeeded", provider: "processone"})
		want = append(want, x.ID.String())
	}
	m.insert(m.b, txn{at: base, typ: "charge", status: "succeeded", provider: "processone"})
	if p := m.search(m.a, ""); len(p.Data) != 20 || p.NextCursor == nil {
		t.Fatalf("default page: %d rows, next %v", len(p.Data), p.NextCursor)
	}
	var got []string
	var created []time.Time
	query, pages := "limit=7", 0
	for {
		p := m.search(m.a, query)
		pages++
		for _, x := range p.Data {
			got = append(got, x.ID)
			created = append(created, x.CreatedAt)
		}
		if p.NextCursor == nil {
			break
		}
		if len(p.Data) != 7 || pages > 10 {
			t.Fatalf("page %d: %d rows with a next cursor", pages, len(p.Data))
		}
		query = "limit=7&cursor=" + url.QueryEscape(*p.NextCursor)
	}
	if pages != 7 || len(got) != 45 {
		t.Fatalf("%d pages, %d rows, want 7 pages of 45 rows", pages, len(got))
	}
	seen := map[string]bool{}
	for i, id := range got {
		if seen[id] {
			t.Fatalf("%s listed twice", id)
		}
		seen[id] = true
		if i > 0 && (created[i].After(created[i-1]) || created[i].Equal(created[i-1]) && id > got[i-1]) {
			t.Fatalf("row %d (%s, %s) not after row %d (%s, %s) in newest-first order", i, created[i], id, i-1, created[i-1], got[i-1])
		}
	}
	for _, id := range want {
		if !seen[id] {
			t.Fatalf("%s never listed", id)
		}
	}
	// Exactly a limit's worth left: the page that holds them says there is no more.
	if p := m.search(m.a, "limit=45"); len(p.Data) != 45 || p.NextCursor != nil {
		t.Fatalf("limit=45 of 45: %d rows, next %v", len(p.Data), p.NextCursor)
	}
}

// TestSearchBadParameters: each bad parameter is a 400 problem naming it.
func TestSearchBadParameters(t *testing.T) {
	t.Parallel()
	m := newMerchantAPI(t)
	m.insert(m.a, txn{at: time.Now().UTC().Truncate(time.Microsecond), typ: "charge", status: "succeeded", provider: "processone"})
	m.insert(m.a, txn{at: time.Now().UTC().Truncate(time.Microsecond), typ: "charge", status: "succeeded", provider: "processone"})
	next := m.search(m.a, "limit=1").NextCursor
	if next == nil {
		t.Fatal("no next cursor")
	}
	good := *next
	flipped := []byte(good)
	flipped[3] ^= 1 // still base64url: another character of the alphabet
	if flipped[3] == '-' || flipped[3] == '_' || flipped[3] == good[3] {
		flipped[3] = 'A'
	}
	cases := []struct{ query, field string }{
		{"limit=0", "limit"},
		{"limit=101", "limit"},
		{"limit=ten", "limit"},
		{"limit=20&limit=30", "limit"},
		{"cursor=", "cursor"},
		{"cursor=bm90IGEgY3Vyc29y", "cursor"},
		{"cursor=" + string(flipped), "cursor"},
		{"cursor=" + good[:len(good)-2], "cursor"},
		{"cursor=" + good + "AA", "cursor"},
		{"cursor=%2B%2F" + good[2:], "cursor"},
		{"from=yesterday", "from"},
		{"from=2026-11-28", "from"},
		{"to=2026-11-28T10:00:00", "to"},
		{"from=2026-11-28T10:00:00Z&to=2026-11-28T10:00:00Z", "to"},
		{"from=2026-11-28T11:00:00Z&to=2026-11-28T10:00:00Z", "to"},
		{"parent_id=42", "parent_id"},
		{"parent_id=" + uuid.Nil.String(), "parent_id"},
		{"type=Charge", "type"},
		{"type=", "type"},
		{"status=" + strings.Repeat("s", 41), "status"},
		{"provider=ono%20connect", "provider"},
		{"reference=", "reference"},
		{"reference=" + strings.Repeat("r", 256), "reference"},
		{"customer_id=%00", "customer_id"},
		{"customer_id=%ff", "customer_id"},
		{"sort=created_at", "sort"},
		{"offset=20", "offset"},
		{"Status=succeeded", "Status"},
		{"status=succeeded&%zz", "query"},
	}
	for _, tc := range cases {
		st, body := m.call(m.a, "GET", "/v1/transactions?"+tc.query, "")
		var p api.Problem
		_ = json.Unmarshal(body, &p)
		if st != http.StatusBadRequest || p.Code != events.ReasonInvalidRequest || p.Field != tc.field {
			t.Errorf("%q: %d %s, want 400 invalid_request naming %q", tc.query, st, body, tc.field)
		}
	}
	// A good cursor of A's is no key to B's rows (and not an error).
	if p := m.search(m.b, "cursor="+url.QueryEscape(good)); len(p.Data) != 0 {
		t.Errorf("B with A's cursor: %v", pageIDs(p))
	}
	// And without a key there is nothing.
	if st, _ := m.call(shop{key: "nope"}, "GET", "/v1/transactions", ""); st != http.StatusUnauthorized {
		t.Errorf("bad key: %d", st)
	}
}
