package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// TransactionSearchParams filters a merchant's transactions; an empty or
// zero field does not filter. From is inclusive and To exclusive, on
// created_at. After, when not zero, is the last row of the previous page.
type TransactionSearchParams struct {
	MerchantID uuid.UUID
	Reference  string
	CustomerID string
	Type       string
	Status     string
	Provider   string
	ParentID   uuid.UUID
	From, To   time.Time
	After      TxnKey
	Limit      int
}

// TransactionSearch lists, newest first (created_at DESC, id DESC), up to
// p.Limit of the merchant's transactions p asks for, by keyset after
// p.After. Only the asked filters are in the statement, so the planner can
// pick the filter's own index (migration 0014): a filter leading
// (merchant_id, column, created_at DESC, id DESC) reads the page's rows in
// order and stops at the limit.
func (s *Store) TransactionSearch(ctx context.Context, p *TransactionSearchParams) ([]*Txn, error) {
	sql, args := transactionSearchSQL(p)
	// Planned with its values each time, never as a cached generic plan:
	// a generic plan cannot tell a rare status from a common one and may
	// walk the merchant's whole created_at index filtering on it.
	rows, err := s.Pool.Query(ctx, sql, append([]any{pgx.QueryExecModeExec}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("search transactions of merchant %s: %w", p.MerchantID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*Txn, error) { return scanTxn(r) })
	if err != nil {
		return nil, fmt.Errorf("search transactions of merchant %s: %w", p.MerchantID, err)
	}
	return out, nil
}

// transactionSearchSQL builds the statement of p and its arguments.
func transactionSearchSQL(p *TransactionSearchParams) (string, []any) {
	var w searchWhere
	w.add("merchant_id = ", p.MerchantID)
	w.addText("reference = ", p.Reference)
	w.addText("customer_id = ", p.CustomerID)
	w.addText("type = ", p.Type)
	w.addText("status = ", p.Status)
	w.addText("provider = ", p.Provider)
	if p.ParentID != uuid.Nil {
		w.add("parent_id = ", p.ParentID)
	}
	if !p.From.IsZero() {
		w.add("created_at >= ", p.From)
	}
	if !p.To.IsZero() {
		w.add("created_at < ", p.To)
	}
	if p.After != (TxnKey{}) {
		w.add("(created_at, id) < ", p.After.CreatedAt, p.After.ID)
	}
	w.args = append(w.args, p.Limit)
	sql := `SELECT ` + txnCols + ` FROM transactions WHERE ` + strings.Join(w.conds, " AND ") +
		` ORDER BY created_at DESC, id DESC LIMIT $` + strconv.Itoa(len(w.args))
	return sql, w.args
}

// searchWhere collects the conditions of a search and their arguments.
type searchWhere struct {
	conds []string
	args  []any
}

// add appends "<lhs>$n" for one value, or "<lhs>($n, $n+1, …)" for several.
func (w *searchWhere) add(lhs string, vals ...any) {
	marks := make([]string, len(vals))
	for i, v := range vals {
		w.args = append(w.args, v)
		marks[i] = "$" + strconv.Itoa(len(w.args))
	}
	rhs := marks[0]
	if len(marks) > 1 {
		rhs = "(" + strings.Join(marks, ", ") + ")"
	}
	w.conds = append(w.conds, lhs+rhs)
}

func (w *searchWhere) addText(lhs, v string) {
	if v != "" {
		w.add(lhs, v)
	}
}
