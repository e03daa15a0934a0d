package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// seedSQL inserts $2 transactions of merchant $1 created a second apart
// before $3: mostly charges and purchases, 2% holds through onepipe, 1%
// failed, a reference each, a customer_id on charges (2,000 customers); then
// one refund of each of the newest $2 charges (seedRefundsSQL). Ids are md5s of
// $4 and i.
const seedSQL = `
WITH base AS (
	SELECT i, md5($4 || i)::uuid AS id,
		CASE WHEN i % 50 = 1 THEN 'hold' WHEN i % 3 = 0 THEN 'purchase' ELSE 'charge' END AS typ
	FROM generate_series(1, $2::int) i)
INSERT INTO transactions (id, merchant_id, type, status, provider, amount, currency, reference, details, created_at, updated_at)
SELECT id, $1, typ,
	CASE WHEN i % 100 = 7 THEN 'failed' ELSE (ARRAY['succeeded', 'pending', 'authorized'])[i % 3 + 1] END,
	CASE WHEN typ = 'hold' THEN 'onepipe' WHEN typ = 'purchase' THEN 'utility' ELSE 'processone' END,
	10, 'ZAR', 'ref-' || i,
	CASE WHEN typ = 'charge' THEN jsonb_build_object('customer_id', 'cus_' || (i % 2000)) ELSE '{}' END,
	$3::timestamptz - i * interval '1 second', $3::timestamptz - i * interval '1 second'
FROM base;
`

const seedRefundsSQL = `
INSERT INTO transactions (id, merchant_id, type, status, provider, amount, currency, reference, parent_id, created_at, updated_at)
SELECT md5($3 || 'refund' || t.id)::uuid, t.merchant_id, 'refund', 'succeeded', t.provider, 1, 'ZAR',
	'rf-' || t.reference, t.id, t.created_at + interval '1 hour', t.created_at + interval '1 hour'
FROM (SELECT * FROM transactions WHERE merchant_id = $1 AND type = 'charge' ORDER BY created_at DESC LIMIT $2) t`

// TestTransactionSearchPlans seeds 100,000 transactions of one merchant
// (and some of another), and checks that each search filter's plan reads
// that filter's own index (leading merchant_id, then the filtered column):
// no sequential scan of transactions, and no index scan that only narrows
// to the merchant and filters the rows it walks, i.e. no filter reads the
// merchant's whole table. Each filter is asked with a value that few rows
// have, where a wrong plan would read the most.
func TestTransactionSearchPlans(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := b.newMerchant(t)
	ctx := t.Context()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, s := range []struct {
		merchant uuid.UUID
		n        int
		seed     string
	}{{b.merchant, 100_000, "a"}, {other, 5_000, "b"}} {
		if _, err := b.st.Pool.Exec(ctx, seedSQL, s.merchant, s.n, now, s.seed); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.Pool.Exec(ctx, seedRefundsSQL, s.merchant, 2_000, s.seed); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.st.Pool.Exec(ctx, `ANALYZE transactions`); err != nil {
		t.Fatal(err)
	}
	var parent uuid.UUID
	if err := b.st.Pool.QueryRow(ctx, `SELECT parent_id FROM transactions WHERE merchant_id = $1 AND type = 'refund' LIMIT 1`,
		b.merchant).Scan(&parent); err != nil {
		t.Fatal(err)
	}
	if n := b.count(t, `SELECT count(*) FROM transactions WHERE merchant_id = $1`, b.merchant); n < 100_000 {
		t.Fatalf("seeded %d transactions", n)
	}

	day := now.Add(-24 * time.Hour)
	cases := []struct {
		name string
		p    store.TransactionSearchParams
		// lead: the plan must scan an index whose second key column is one
		// of these, with that column in its index condition.
		lead []string
		// ordered: the plan reads rows in page order (no Sort node).
		ordered bool
		// index is the one the filter needs: without it (dropped inside a
		// rolled-back transaction) the same checks must fail, so that the
		// checks are known to see a bad plan.
		index string
	}{
		{"unfiltered", store.TransactionSearchParams{}, []string{"created_at"}, true, "transactions_merchant_recent"},
		{"next page", store.TransactionSearchParams{After: store.TxnKey{CreatedAt: now.Add(-time.Hour), ID: uuid.Max}}, []string{"created_at"}, true,
			"transactions_merchant_recent"},
		{"from to", store.TransactionSearchParams{From: day.Add(-time.Hour), To: day}, []string{"created_at"}, true, "transactions_merchant_recent"},
		{"reference", store.TransactionSearchParams{Reference: "ref-4242"}, []string{"reference"}, false, "transactions_reference_recent"},
		{"customer_id", store.TransactionSearchParams{CustomerID: "cus_17"}, []string{"customer_id"}, false, "transactions_customer_recent"},
		{"type", store.TransactionSearchParams{Type: "hold"}, []string{"type"}, false, "transactions_type_recent"},
		{"status", store.TransactionSearchParams{Status: "failed"}, []string{"status"}, false, "transactions_status_recent"},
		{"provider", store.TransactionSearchParams{Provider: "onepipe"}, []string{"provider"}, false, "transactions_provider_recent"},
		{"parent_id", store.TransactionSearchParams{ParentID: parent}, []string{"parent_id"}, false, "transactions_parent_recent"},
		{"status next page", store.TransactionSearchParams{Status: "failed", After: store.TxnKey{CreatedAt: day, ID: uuid.Max}}, []string{"status"}, false,
			"transactions_status_recent"},
		{"type and status", store.TransactionSearchParams{Type: "hold", Status: "failed"}, []string{"type", "status"}, false, ""},
		{"customer and range", store.TransactionSearchParams{CustomerID: "cus_17", From: day.Add(-time.Hour), To: day},
			[]string{"customer_id", "created_at"}, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			p.MerchantID, p.Limit = b.merchant, 21
			sql, args := store.TransactionSearchSQL(&p)
			plan := explain(t, b.st.Pool, sql, args)
			if problems := planProblems(t, b.st.Pool, plan, tc.lead, tc.ordered); len(problems) > 0 {
				out, _ := json.MarshalIndent(plan, "", "  ")
				t.Fatalf("%s\nplan: %s", strings.Join(problems, "\n"), out)
			}
			if tc.index == "" {
				return
			}
			tx, err := b.st.Pool.Begin(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = tx.Rollback(context.Background()) }()
			if _, err := tx.Exec(t.Context(), "DROP INDEX "+tc.index); err != nil {
				t.Fatal(err)
			}
			plan = explain(t, tx, sql, args)
			if problems := planProblems(t, tx, plan, tc.lead, tc.ordered); len(problems) == 0 {
				out, _ := json.MarshalIndent(plan, "", "  ")
				t.Fatalf("without %s the checks found nothing wrong with plan %s", tc.index, out)
			}
		})
	}
}

// planNode is the part of an EXPLAIN (FORMAT JSON) node the test reads.
type planNode struct {
	NodeType  string     `json:"Node Type"`
	Relation  string     `json:"Relation Name"`
	IndexName string     `json:"Index Name"`
	IndexCond string     `json:"Index Cond"`
	Filter    string     `json:"Filter"`
	Plans     []planNode `json:"Plans"`
}

// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func explain(t *testing.T, q querier, sql string, args []any) planNode {
	t.Helper()
	var out []struct {
		Plan planNode `json:"Plan"`
	}
	// As TransactionSearch runs it: planned with its values.
	var raw []byte
	if err := q.QueryRow(t.Context(), "EXPLAIN (FORMAT JSON) "+sql,
		append([]any{pgx.QueryExecModeExec}, args...)...).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out) != 1 {
		t.Fatalf("explain: %v %s", err, raw)
	}
	return out[0].Plan
}

// planProblems lists what is wrong with plan: a sequential scan of
// transactions, a filter (not an index condition) on the one lead column,
// no index scan led by (one of) the lead column(s), or a Sort when ordered.
func planProblems(t *testing.T, q querier, plan planNode, lead []string, ordered bool) []string {
	t.Helper()
	var problems []string
	led := false
	var walk func(n planNode)
	walk = func(n planNode) {
		if n.NodeType == "Seq Scan" && n.Relation == "transactions" {
			problems = append(problems, "sequential scan of transactions")
		}
		if n.NodeType == "Sort" && ordered {
			problems = append(problems, "sorts instead of reading in page order")
		}
		// With several filters, one index serves one of them and the
		// others filter the rows it gives.
		if len(lead) == 1 && strings.Contains(n.Filter, lead[0]) {
			problems = append(problems, fmt.Sprintf("%s filters on %s: %s", n.NodeType, lead[0], n.Filter))
		}
		if n.IndexName != "" {
			// An unfiltered page walks the merchant's rows in order from
			// the newest and stops at the limit.
			second := indexColumn(t, q, n.IndexName, 2)
			if slices.Contains(lead, second) && (strings.Contains(n.IndexCond, second) || ordered) {
				led = true
			}
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(plan)
	if !led {
		problems = append(problems, fmt.Sprintf("no index scan led by merchant_id and one of %v", lead))
	}
	return problems
}

// indexColumn is the definition of an index's key column k (1-based).
func indexColumn(t *testing.T, q querier, index string, k int) string {
	t.Helper()
	var col string
	if err := q.QueryRow(t.Context(), `SELECT pg_get_indexdef($1::regclass, $2, true)`, index, k).Scan(&col); err != nil {
		t.Fatal(err)
	}
	return col
}
