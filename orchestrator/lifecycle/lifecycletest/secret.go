package lifecycletest

import (
	"strings"

	"github.com/google/uuid"
)

// ExpectNoSecret fails the test if any row of any table of the harness's
// database, or any event of the transactions ids, holds one of secrets in
// clear. must are strings the scan has to see (a customer reference, an
// event type), so that a scan that reads nothing cannot pass. Short secrets
// (a PIN, an OTP) are best passed as JSON strings ("1111"): bare, their
// digits turn up by chance in timestamps and ids.
func (h *Harness) ExpectNoSecret(ids []uuid.UUID, must []string, secrets ...string) {
	h.t.Helper()
	ctx := h.t.Context()
	rows, err := h.Store.Pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		h.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			h.t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 5 {
		h.t.Fatalf("found only tables %v", tables)
	}
	var all strings.Builder
	for _, table := range tables {
		rows, err := h.Store.Pool.Query(ctx, `SELECT t::text FROM "`+table+`" t`)
		if err != nil {
			h.t.Fatal(err)
		}
		for rows.Next() {
			var row string
			if err := rows.Scan(&row); err != nil {
				h.t.Fatal(err)
			}
			all.WriteString(table + ": " + row + "\n")
		}
		rows.Close()
	}
	for _, id := range ids {
		for _, e := range h.Events(id) {
			all.Write(e.Envelope)
		}
	}
	text := all.String()
	for _, m := range must {
		if !strings.Contains(text, m) {
			h.t.Fatalf("the scan does not see %q: it reads nothing it should", m)
		}
	}
	for _, s := range secrets {
		if strings.Contains(text, s) {
			h.t.Fatalf("a secret (%.3s…) is stored or published in clear", s)
		}
	}
}
