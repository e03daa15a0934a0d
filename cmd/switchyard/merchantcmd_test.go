package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/schema"
	"github.com/switchyard/switchyard/schema/schematest"
)

// TestMerchantCreateMakesItsConsumer: `merchant create --nats-url` creates
// the merchant's PAY_EVENTS consumer, so that it can read its events over
// NATS at once.
func TestMerchantCreateMakesItsConsumer(t *testing.T) {
	db := schematest.NewDB(t)
	if _, err := schema.Migrate(t.Context(), db, nil); err != nil {
		t.Fatal(err)
	}
	url := brokertest.Start(t)
	_, js := brokertest.Connect(t, url)
	cfg := filepath.Join(t.TempDir(), "merchant.json")
	if err := os.WriteFile(cfg, []byte(`{"name":"CLI Shop"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	stdout := os.Stdout
	os.Stdout, _ = os.Open(os.DevNull)
	err := run(t.Context(), []string{"merchant", "create", "--config", cfg, "--database-url", db,
		"--secret-key", base64.StdEncoding.EncodeToString(key), "--nats-url", url}, os.Stderr)
	os.Stdout = stdout
	if err != nil {
		t.Fatal(err)
	}
	s, err := js.Stream(t.Context(), events.StreamEvents)
	if err != nil {
		t.Fatal(err)
	}
	names := s.ConsumerNames(t.Context())
	var got []string
	for n := range names.Name() {
		got = append(got, n)
	}
	if len(got) != 1 || len(got[0]) != len("merchant-")+36 {
		t.Fatalf("PAY_EVENTS consumers %q, want the merchant's", got)
	}
}

// captureStdout runs fn with os.Stdout going to a file and returns what it
// printed.
func captureStdout(t *testing.T, fn func() error) ([]byte, error) {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stdout := os.Stdout
	os.Stdout = f
	err = fn()
	os.Stdout = stdout
	out, rerr := os.ReadFile(f.Name())
	if rerr != nil {
		t.Fatal(rerr)
	}
	return out, err
}

// TestMerchantSettlementCommands: `merchant create --config` takes the
// settlement object and refuses a bad one naming the field; `merchant
// settlement` changes it and moves the merchant's one cut-off timer.
func TestMerchantSettlementCommands(t *testing.T) {
	db := schematest.NewDB(t)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	create := func(body string) ([]byte, error) {
		cfg := filepath.Join(t.TempDir(), "merchant.json")
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return captureStdout(t, func() error {
			return run(t.Context(), []string{"merchant", "create", "--config", cfg, "--database-url", db,
				"--secret-key", base64.StdEncoding.EncodeToString(key)}, os.Stderr)
		})
	}
	for body, field := range map[string]string{
		`{"name":"A","settlement":{"batch_cutoff":"18:00","time_zone":"Atlantis/Capital"}}`: "settlement.time_zone",
		`{"name":"A","settlement":{"batch_cutoff":"18h00","time_zone":"UTC"}}`:              "settlement.batch_cutoff",
	} {
		if _, err := create(body); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("create %s: %v, want an error naming %s", body, err, field)
		}
	}
	out, err := create(`{"name":"CLI Shop","settlement":{"batch_cutoff":"18:00","time_zone":"Africa/Johannesburg"}}`)
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		ID         string `json:"id"`
		Settlement struct {
			BatchCutoff string    `json:"batch_cutoff"`
			TimeZone    string    `json:"time_zone"`
			NextCutoff  time.Time `json:"next_cutoff"`
		} `json:"settlement"`
	}
	if err := json.Unmarshal(out, &created); err != nil || created.Settlement.TimeZone != "Africa/Johannesburg" {
		t.Fatalf("create printed %s (%v)", out, err)
	}
	pool, err := pgxpool.New(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	due := func() []time.Time {
		rows, _ := pool.Query(t.Context(), `SELECT due_at FROM timers WHERE merchant_id = $1 AND kind = 'batch_cutoff'`, created.ID)
		ds, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	if d := due(); len(d) != 1 || !d[0].Equal(created.Settlement.NextCutoff) {
		t.Fatalf("timers %v, want one at %s", d, created.Settlement.NextCutoff)
	}

	dbFlags := []string{"--database-url", db}
	out, err = captureStdout(t, func() error {
		return runMerchant(t.Context(), append([]string{"settlement", "--merchant", created.ID, "--cutoff", "02:30",
			"--time-zone", "America/New_York"}, dbFlags...))
	})
	if err != nil {
		t.Fatalf("merchant settlement: %v", err)
	}
	var changed struct {
		NextCutoff time.Time `json:"next_cutoff"`
	}
	ny, _ := time.LoadLocation("America/New_York")
	if err := json.Unmarshal(out, &changed); err != nil || changed.NextCutoff.In(ny).Format("15:04") != "02:30" &&
		changed.NextCutoff.In(ny).Format("15:04") != "03:00" { // 03:00 on a day the clocks skip 02:30
		t.Fatalf("settlement printed %s (%v)", out, err)
	}
	if d := due(); len(d) != 1 || !d[0].Equal(changed.NextCutoff) {
		t.Fatalf("timers %v after the change, want one at %s", d, changed.NextCutoff)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"settlement", "--merchant", created.ID, "--cutoff", "25:00"}, "--cutoff"},
		{[]string{"settlement", "--merchant", created.ID, "--time-zone", "Nowhere/Town"}, "--time-zone"},
		{[]string{"settlement", "--merchant", "not-a-uuid", "--cutoff", "01:00"}, "--merchant"},
		{[]string{"settlement", "--merchant", uuid.NewString(), "--cutoff", "01:00"}, "not found"},
	} {
		if err := runMerchant(t.Context(), append(tc.args, dbFlags...)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("merchant %v: %v, want an error about %s", tc.args, err, tc.want)
		}
	}
}

// TestMerchantCreatePrintsNoWebhookSecret: secrets belong to webhook
// endpoints; `merchant create` prints the id and API key and no
// merchant-level webhook secret (and dev.json has none either).
func TestMerchantCreatePrintsNoWebhookSecret(t *testing.T) {
	db := schematest.NewDB(t)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	cfg := filepath.Join(t.TempDir(), "merchant.json")
	if err := os.WriteFile(cfg, []byte(`{"name":"CLI Shop"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := captureStdout(t, func() error {
		return run(t.Context(), []string{"merchant", "create", "--config", cfg, "--database-url", db,
			"--secret-key", base64.StdEncoding.EncodeToString(key)}, os.Stderr)
	})
	if err != nil {
		t.Fatal(err)
	}
	var created map[string]any
	if err := json.Unmarshal(out, &created); err != nil || created["id"] == nil || created["api_key"] == nil {
		t.Fatalf("create printed %s (%v)", out, err)
	}
	if _, ok := created["webhook_secret"]; ok || strings.Contains(string(out), "whsec_") {
		t.Fatalf("create printed a merchant-level webhook secret: %s", out)
	}
	info, _ := json.Marshal(devInfo{})
	if strings.Contains(string(info), "webhook_secret") {
		t.Fatalf("dev.json carries a webhook secret: %s", info)
	}
}
