package api

import (
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Search pages: limit 1-100, 20 when not given.
const (
	defaultSearchLimit = 20
	maxSearchLimit     = 100
)

// searchPage is the answer of GET /v1/transactions.
type searchPage struct {
	Data       []*events.Transaction `json:"data"`
	NextCursor string                `json:"next_cursor,omitempty"`
}

// searchTransactions answers GET /v1/transactions: the merchant's
// transactions that match every filter given, newest first, a page at a
// time; next_cursor, when present, asks for the page after.
func (a *API) searchTransactions(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		problem(w, http.StatusBadRequest, events.ReasonInvalidRequest, "query", "the query string is malformed")
		return
	}
	p, err := searchParams(q)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	p.MerchantID = mid
	limit := p.Limit
	p.Limit++ // one more tells whether there is a next page
	rows, err := a.cfg.Engine.Store().TransactionSearch(r.Context(), p)
	if err != nil {
		a.internal(w, err)
		return
	}
	page := searchPage{Data: make([]*events.Transaction, 0, min(len(rows), limit))}
	for i, t := range rows {
		if i == limit {
			last := rows[i-1]
			page.NextCursor = encodeCursor(store.TxnKey{CreatedAt: last.CreatedAt, ID: last.ID})
			break
		}
		page.Data = append(page.Data, a.cfg.Engine.Resource(t))
	}
	writeJSON(w, http.StatusOK, page)
}

// searchFilter reads the value v of query parameter name into the search.
type searchFilter func(p *store.TransactionSearchParams, name, v string) error

// A type, status or provider is a lower-case token.
var searchTokenRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// maxSearchText bounds a reference or customer_id (bytes).
const maxSearchText = 255

var searchFilters = map[string]searchFilter{
	"reference":   textFilter(func(p *store.TransactionSearchParams, v string) { p.Reference = v }),
	"customer_id": textFilter(func(p *store.TransactionSearchParams, v string) { p.CustomerID = v }),
	"type":        tokenFilter(func(p *store.TransactionSearchParams, v string) { p.Type = v }),
	"status":      tokenFilter(func(p *store.TransactionSearchParams, v string) { p.Status = v }),
	"provider":    tokenFilter(func(p *store.TransactionSearchParams, v string) { p.Provider = v }),
	"parent_id":   parentFilter,
	"from":        timeFilter(func(p *store.TransactionSearchParams, t time.Time) { p.From = t }),
	"to":          timeFilter(func(p *store.TransactionSearchParams, t time.Time) { p.To = t }),
	"limit":       limitFilter,
	"cursor":      cursorFilter,
}

// searchParams reads the query: each parameter at most once and known,
// each value well formed.
func searchParams(q url.Values) (*store.TransactionSearchParams, error) {
	p := &store.TransactionSearchParams{Limit: defaultSearchLimit}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		vals := q[name]
		f, ok := searchFilters[name]
		if !ok {
			return nil, events.Invalid(name, "is not a parameter of this search")
		}
		if len(vals) != 1 {
			return nil, events.Invalid(name, "may be given once")
		}
		if err := f(p, name, vals[0]); err != nil {
			return nil, err
		}
	}
	if !p.From.IsZero() && !p.To.IsZero() && !p.To.After(p.From) {
		return nil, events.Invalid("to", "must be after from")
	}
	return p, nil
}

// tokenFilter sets a filter whose values are lower-case tokens.
func tokenFilter(set func(*store.TransactionSearchParams, string)) searchFilter {
	return func(p *store.TransactionSearchParams, name, v string) error {
		if !searchTokenRe.MatchString(v) {
			return events.Invalid(name, "must be 1-40 characters of a-z 0-9 _, starting with a letter")
		}
		set(p, v)
		return nil
	}
}

// textFilter sets a filter whose values are the merchant's own text:
// 1-255 bytes of UTF-8 without control characters.
func textFilter(set func(*store.TransactionSearchParams, string)) searchFilter {
	return func(p *store.TransactionSearchParams, name, v string) error {
		if v == "" || len(v) > maxSearchText || !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) {
			return events.Invalid(name, "must be 1-%d bytes of text without control characters", maxSearchText)
		}
		set(p, v)
		return nil
	}
}

func parentFilter(p *store.TransactionSearchParams, name, v string) error {
	id, err := uuid.Parse(v)
	if err != nil || id == uuid.Nil {
		return events.Invalid(name, "must be a transaction id")
	}
	p.ParentID = id
	return nil
}

// timeFilter sets a bound of created_at: an RFC 3339 time.
func timeFilter(set func(*store.TransactionSearchParams, time.Time)) searchFilter {
	return func(p *store.TransactionSearchParams, name, v string) error {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return events.Invalid(name, "must be an RFC 3339 time, e.g. 2026-11-28T10:00:00Z")
		}
		set(p, t)
		return nil
	}
}

func limitFilter(p *store.TransactionSearchParams, name, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxSearchLimit {
		return events.Invalid(name, "must be a whole number from 1 to %d", maxSearchLimit)
	}
	p.Limit = n
	return nil
}

func cursorFilter(p *store.TransactionSearchParams, name, v string) error {
	after, ok := decodeCursor(v)
	if !ok {
		return events.Invalid(name, "is not a cursor this search gave")
	}
	p.After = after
	return nil
}
