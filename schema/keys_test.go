package schema_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/schema/schematest"
)

// paymentTables are the tables that grow with payments: each carries
// merchant_id, and each of their keys includes it, so that the store can be
// distributed by merchant.
var paymentTables = []string{
	"transactions", "transaction_events", "commands", "http_answers", "outbox", "outbox_dead", "timers",
	"work_items", "provider_calls",
}

// tableKey is a primary key, unique constraint, unique index or foreign key
// of a payment table.
type tableKey struct {
	Table, Name, Kind, Definition string
	HasMerchant                   bool
}

// keysSQL lists the keys of the tables in $1 (constraints, then unique
// indexes that back no constraint) and whether merchant_id is one of the
// key's own columns; for a foreign key, one that references the merchant
// (merchants.id, or the merchant_id of the referenced table).
const keysSQL = `
SELECT c.relname, con.conname,
	CASE con.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' ELSE 'foreign key' END,
	pg_get_constraintdef(con.oid),
	EXISTS (SELECT 1 FROM unnest(con.conkey, coalesce(con.confkey, con.conkey)) AS k(l, r)
		JOIN pg_attribute la ON la.attrelid = con.conrelid AND la.attnum = k.l
		WHERE la.attname = 'merchant_id' AND (con.contype <> 'f' OR EXISTS (SELECT 1 FROM pg_attribute ra
			WHERE ra.attrelid = con.confrelid AND ra.attnum = k.r
				AND ra.attname = CASE WHEN con.confrelid = to_regclass('merchants') THEN 'id' ELSE 'merchant_id' END)))
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1) AND con.contype IN ('p', 'u', 'f')
UNION ALL
SELECT c.relname, i.relname, 'unique index', pg_get_indexdef(i.oid),
	EXISTS (SELECT 1 FROM unnest(x.indkey::int2[]) k JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k
		WHERE a.attname = 'merchant_id')
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1) AND x.indisunique
	AND NOT EXISTS (SELECT 1 FROM pg_constraint con
		WHERE con.conrelid = x.indrelid AND con.conindid = x.indexrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY 1, 3, 2`

// merchantKeyProblems lists every key of the payment tables (logged) and
// returns what is wrong: a payment table missing, without a NOT NULL
// merchant_id, or with a key that lacks merchant_id.
func merchantKeyProblems(t *testing.T, dbURL string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var problems []string
	rows, err := conn.Query(ctx, `SELECT c.relname, coalesce(a.attnotnull, false) FROM pg_class c
		LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'merchant_id' AND NOT a.attisdropped
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname = ANY($1)`, paymentTables)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for rows.Next() {
		var name string
		var notNull bool
		if err := rows.Scan(&name, &notNull); err != nil {
			t.Fatal(err)
		}
		found[name] = true
		if !notNull {
			problems = append(problems, fmt.Sprintf("table %s: no NOT NULL merchant_id", name))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, name := range paymentTables {
		if !found[name] {
			problems = append(problems, fmt.Sprintf("table %s: missing", name))
		}
	}

	rows, err = conn.Query(ctx, keysSQL, paymentTables)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowToStructByPos[tableKey])
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		mark := "ok     "
		if !k.HasMerchant {
			mark = "MISSING"
			problems = append(problems, fmt.Sprintf("%s %s %s lacks merchant_id: %s", k.Table, k.Kind, k.Name, k.Definition))
		}
		t.Logf("%s %-18s %-12s %-45s %s", mark, k.Table, k.Kind, k.Name, k.Definition)
	}
	return problems
}

// TestPaymentTablesKeyedByMerchant: after the migrations, every primary
// key, unique constraint, unique index and foreign key of the tables that
// grow with payments includes merchant_id.
func TestPaymentTablesKeyedByMerchant(t *testing.T) {
	t.Parallel()
	for _, p := range merchantKeyProblems(t, schematest.NewDB(t)) {
		t.Error(p)
	}
}

// TestPaymentTablesKeyedByMerchantCheckBites: the check above finds the
// keys that lacked merchant_id before migration 0006, so that it can fail.
func TestPaymentTablesKeyedByMerchantCheckBites(t *testing.T) {
	t.Parallel()
	dbURL := emptyDB(t)
	migrateFiles(t, dbURL, 5)
	problems := merchantKeyProblems(t, dbURL)
	for _, want := range []string{
		"table provider_calls: missing",
		"table transaction_events: no NOT NULL merchant_id",
		"transactions primary key transactions_pkey lacks merchant_id: PRIMARY KEY (id)",
		"transaction_events unique transaction_events_event_id_key lacks merchant_id: UNIQUE (event_id)",
		"work_items primary key work_items_pkey lacks merchant_id: PRIMARY KEY (id)",
		"transactions foreign key transactions_parent_id_fkey lacks merchant_id: FOREIGN KEY (parent_id) REFERENCES transactions(id)",
	} {
		if !slices.Contains(problems, want) {
			t.Errorf("schema at version 5: problem %q not found in %q", want, problems)
		}
	}
}

// TestPaymentTablesKeyedByMerchantCheckBitesLater: on the current schema,
// a later unique index without merchant_id, or a foreign key that maps
// merchant_id onto another column, is found.
func TestPaymentTablesKeyedByMerchantCheckBitesLater(t *testing.T) {
	t.Parallel()
	dbURL := schematest.NewDB(t)
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`CREATE UNIQUE INDEX provider_calls_bad ON provider_calls (transaction_id, attempt)`,
		`ALTER TABLE provider_calls ADD CONSTRAINT provider_calls_crossed
			FOREIGN KEY (merchant_id, transaction_id) REFERENCES transactions (id, merchant_id)`,
	} {
		if _, err := conn.Exec(context.Background(), sql); err != nil {
			t.Fatal(err)
		}
	}
	_ = conn.Close(context.Background())
	problems := merchantKeyProblems(t, dbURL)
	want := []string{
		"provider_calls foreign key provider_calls_crossed lacks merchant_id: FOREIGN KEY (merchant_id, transaction_id) REFERENCES transactions(id, merchant_id)",
		"provider_calls unique index provider_calls_bad lacks merchant_id: CREATE UNIQUE INDEX provider_calls_bad ON public.provider_calls USING btree (transaction_id, attempt)",
	}
	if !slices.Equal(problems, want) {
		t.Errorf("problems:\n%q\nwant\n%q", problems, want)
	}
}

// migrateFiles applies the migration files up to version last, in order,
// without recording them (the migrate package always goes to the newest).
func migrateFiles(t *testing.T, dbURL string, last int) {
	t.Helper()
	ctx := context.Background()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) < last {
		t.Fatalf("migration files %v: %v", files, err)
	}
	slices.Sort(files)
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, f := range files[:last] {
		sql, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, string(sql), pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
}
