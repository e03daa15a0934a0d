package store_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// searchRow is a transaction of the search tests.
type searchRow struct {
	typ, status, provider, ref, cust string
	parent                           *uuid.UUID
}

func (b *bundle) insertAt(t *testing.T, merchant uuid.UUID, at time.Time, r searchRow) *store.Txn {
	t.Helper()
	txn := &store.Txn{ID: uuid.New(), MerchantID: merchant, Type: r.typ, Status: r.status, Provider: r.provider,
		Amount: decimal.RequireFromString("10.00"), Currency: "ZAR", Reference: r.ref, ParentID: r.parent,
		Metadata: map[string]string{}, Details: map[string]json.RawMessage{}, Version: 1, CreatedAt: at}
	if r.cust != "" {
		txn.Details["customer_id"], _ = json.Marshal(r.cust)
	}
	if err := b.send(t, func(batch *store.Batch) { batch.TransactionInsert(txn) }); err != nil {
		t.Fatal(err)
	}
	return txn
}

// TestTransactionSearch: each filter alone and together, the created_at
// range (from inclusive, to exclusive), newest first with id breaking ties,
// keyset pages that neither skip nor repeat a row, and another merchant's
// rows never listed.
func TestTransactionSearch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := b.newMerchant(t)
	base := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return base.Add(time.Duration(m) * time.Minute) }

	c1 := b.insertAt(t, b.merchant, at(1), searchRow{typ: "charge", status: "succeeded", provider: "onoconnect", ref: "r1", cust: "cus_a"})
	c2 := b.insertAt(t, b.merchant, at(2), searchRow{typ: "charge", status: "failed", provider: "processone", ref: "r2", cust: "cus_b"})
	c3 := b.insertAt(t, b.merchant, at(3), searchRow{typ: "charge", status: "succeeded", provider: "processone", ref: "r3", cust: "cus_a"})
	r1 := b.insertAt(t, b.merchant, at(4), searchRow{typ: "refund", status: "succeeded", provider: "processone", ref: "r1", parent: &c3.ID})
	// Two rows at the same instant: id DESC orders them.
	s1 := b.insertAt(t, b.merchant, at(5), searchRow{typ: "purchase", status: "pending", provider: "utility"})
	s2 := b.insertAt(t, b.merchant, at(5), searchRow{typ: "purchase", status: "pending", provider: "utility"})
	if s1.ID.String() < s2.ID.String() {
		s1, s2 = s2, s1 // s1 has the greater id: it comes first
	}
	theirs := b.insertAt(t, other, at(6), searchRow{typ: "charge", status: "succeeded", provider: "processone", ref: "r1", cust: "cus_a"})
	_ = theirs

	ids := func(ts ...*store.Txn) []uuid.UUID {
		out := make([]uuid.UUID, len(ts))
		for i, x := range ts {
			out[i] = x.ID
		}
		return out
	}
	cases := []struct {
		name string
		p    store.TransactionSearchParams
		want []uuid.UUID
	}{
		{"all", store.TransactionSearchParams{}, ids(s1, s2, r1, c3, c2, c1)},
		{"reference", store.TransactionSearchParams{Reference: "r1"}, ids(r1, c1)},
		{"customer", store.TransactionSearchParams{CustomerID: "cus_a"}, ids(c3, c1)},
		{"type", store.TransactionSearchParams{Type: "charge"}, ids(c3, c2, c1)},
		{"status", store.TransactionSearchParams{Status: "succeeded"}, ids(r1, c3, c1)},
		{"provider", store.TransactionSearchParams{Provider: "processone"}, ids(r1, c3, c2)},
		{"parent", store.TransactionSearchParams{ParentID: c3.ID}, ids(r1)},
		{"from inclusive", store.TransactionSearchParams{From: at(4)}, ids(s1, s2, r1)},
		{"to exclusive", store.TransactionSearchParams{To: at(2)}, ids(c1)},
		{"range", store.TransactionSearchParams{From: at(2), To: at(4)}, ids(c3, c2)},
		{"combined", store.TransactionSearchParams{Type: "charge", Status: "succeeded", Provider: "processone", CustomerID: "cus_a"}, ids(c3)},
		{"none match", store.TransactionSearchParams{Status: "declined"}, nil},
		{"other merchant's customer", store.TransactionSearchParams{CustomerID: "cus_zzz"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			p.MerchantID, p.Limit = b.merchant, 100
			got := searchIDs(t, b.st, &p)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}

	t.Run("pages", func(t *testing.T) {
		var all []uuid.UUID
		p := store.TransactionSearchParams{MerchantID: b.merchant, Limit: 2}
		for range 10 {
			page, err := b.st.TransactionSearch(t.Context(), &p)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range page {
				all = append(all, x.ID)
			}
			if len(page) < p.Limit {
				break
			}
			last := page[len(page)-1]
			p.After = store.TxnKey{CreatedAt: last.CreatedAt, ID: last.ID}
		}
		if want := ids(s1, s2, r1, c3, c2, c1); !slices.Equal(all, want) {
			t.Fatalf("pages of 2 gave %v, want %v", all, want)
		}
	})
}

func searchIDs(t *testing.T, st *store.Store, p *store.TransactionSearchParams) []uuid.UUID {
	t.Helper()
	got, err := st.TransactionSearch(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	var out []uuid.UUID
	for _, x := range got {
		out = append(out, x.ID)
	}
	return out
}
