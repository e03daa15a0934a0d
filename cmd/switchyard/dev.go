package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/pgcluster"
	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
	"github.com/switchyard/switchyard/workers/processone/processonesim"
	"github.com/switchyard/switchyard/workers/simhost"
)

// devInfo is written to <data-dir>/dev.json once dev is ready, for scripts,
// tests and `switchyard bench`.
type devInfo struct {
	HTTP    string `json:"http"`
	NATSURL string `json:"nats_url"`
	// NATSUser and NATSPassword are the service's NATS credentials (empty
	// with an external --nats-url without them); merchants connect with
	// their id and API key instead.
	NATSUser     string `json:"nats_user,omitempty"`
	NATSPassword string `json:"nats_password,omitempty"`
	DatabaseURL  string `json:"database_url"`
	SimURL       string `json:"sim_url"`
	AdminToken   string `json:"admin_token"`
	MerchantID   string `json:"merchant_id"`
	APIKey       string `json:"api_key"`
	PID          int    `json:"pid"`
}

func runDev(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	var c commonFlags
	c.register(fs, true)
	dataDir := fs.String("data-dir", ".switchyard", "where dev keeps PostgreSQL, NATS and its keys")
	natsPort := fs.Int("nats-port", 4222, "port of the embedded NATS server (-1: any free port)")
	simAddr := fs.String("sim-addr", "127.0.0.1:9000", "listen address of the provider simulators")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	lock, err := lockDataDir(dir) // before anything in dir is touched
	if err != nil {
		return err
	}
	defer lock.release()
	if err := checkListenAddrs(devListenFlags(&c, *natsPort, *simAddr)); err != nil {
		return err
	}
	log := newLogger(c.logLevel, c.logFormat)
	d := &devRun{dir: dir, flags: &c, started: time.Now()}
	defer d.stop()
	if err := d.start(ctx, *natsPort, *simAddr); err != nil {
		return err
	}
	d.printBanner()
	log.Info("switchyard dev is running; Ctrl-C to stop")
	<-ctx.Done()
	log.Info("stopping")
	return nil
}

type devRun struct {
	dir     string
	flags   *commonFlags
	started time.Time
	pg      *pgcluster.Cluster
	nats    *broker.Embedded
	simStop func()
	sims    *simhost.Host
	node    *node
	info    devInfo
}

func (d *devRun) start(ctx context.Context, natsPort int, simAddr string) error {
	// A killed run leaves its own behind; the data dir lock says no dev is
	// running on it now.
	_ = os.Remove(filepath.Join(d.dir, "dev.json"))
	key, err := secret.LoadOrCreateKeyFile(filepath.Join(d.dir, "secret.key"))
	if err != nil {
		return err
	}
	if d.flags.adminToken == "" {
		d.flags.adminToken, err = loadOrCreate(filepath.Join(d.dir, "admin.token"), secret.NewToken)
		if err != nil {
			return err
		}
	}
	step("PostgreSQL")
	if err := d.startPostgres(ctx); err != nil {
		return err
	}
	step("NATS JetStream")
	if err := d.startNATS(natsPort, key); err != nil {
		return err
	}
	step("provider simulators")
	d.sims = simhost.New()
	srv, simURL, err := serveSims(simAddr, d.sims)
	if err != nil {
		return err
	}
	d.simStop = func() { _ = srv.Close() }
	d.info.SimURL = simURL
	d.useSims(simhost.URLs(simURL))
	step("orchestrator")
	cfg, err := d.flags.nodeConfig(key)
	if err != nil {
		return err
	}
	cfg.DatabaseURL, cfg.NATSURL = d.info.DatabaseURL, d.info.NATSURL
	d.info.NATSUser, d.info.NATSPassword = cfg.NATSCreds.User, cfg.NATSCreds.Password
	cfg.MigrateStreams = true
	if d.node, err = startNode(ctx, cfg); err != nil {
		return err
	}
	step("demo merchant")
	if err := d.demoMerchant(ctx, key); err != nil {
		return err
	}
	if err := d.followDemoCutoff(ctx); err != nil {
		return err
	}
	if err := d.demoCodesCallback(); err != nil {
		return err
	}
	d.info.HTTP, d.info.AdminToken, d.info.PID = "http://"+d.node.httpAddr, d.flags.adminToken, os.Getpid()
	b, _ := json.MarshalIndent(d.info, "", "  ")
	tmp := filepath.Join(d.dir, "dev.json.tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(d.dir, "dev.json"))
}

// useSims points every provider URL flag left empty at its simulator.
func (d *devRun) useSims(urls map[string]string) {
	for _, f := range []struct {
		provider string
		url      *string
	}{
		{events.ProviderOnoConnect, &d.flags.onoURL}, {events.ProviderProcessOne, &d.flags.processoneURL},
		{events.ProviderOnePipe, &d.flags.onepipeURL}, {events.ProviderUtility, &d.flags.utilityURL},
		{events.ProviderCodes, &d.flags.codesURL},
	} {
		if *f.url == "" {
			*f.url = urls[f.provider]
		}
	}
}

func step(what string) { fmt.Fprintf(os.Stderr, "  starting %s…\n", what) }

func (d *devRun) startPostgres(ctx context.Context) error {
	if d.flags.databaseURL != "" {
		d.info.DatabaseURL = d.flags.databaseURL
		return nil
	}
	pg, err := pgcluster.Start(ctx, pgcluster.Options{Dir: filepath.Join(d.dir, "postgres")})
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		return err // one line, with the fix
	}
	if err != nil {
		return fmt.Errorf("local PostgreSQL: %w", err)
	}
	d.pg, d.info.DatabaseURL = pg, pg.URL("switchyard")
	return nil
}

func (d *devRun) startNATS(port int, key []byte) error {
	if d.flags.natsURL != "" {
		d.info.NATSURL = d.flags.natsURL
		return nil
	}
	// The store is encrypted with a key derived from the instance key.
	sum := sha256.Sum256(append([]byte("switchyard jetstream at rest\x00"), key...))
	na, err := loadOrCreateNATSAuth(filepath.Join(d.dir, "nats-auth.json"))
	if err != nil {
		return err
	}
	auth, err := na.embedded()
	if err != nil {
		return err
	}
	e, err := broker.StartEmbedded(broker.EmbeddedOptions{StoreDir: filepath.Join(d.dir, "nats"), Port: port,
		EncryptionKey: hex.EncodeToString(sum[:]), Auth: auth})
	if err != nil {
		return err
	}
	d.flags.nats = na.creds() // the orchestrator runs the auth role (see commonFlags.parseRoles)
	d.nats, d.info.NATSURL = e, e.URL()
	return nil
}

// demoMerchant creates the demo merchant once and keeps its key in the data dir.
func (d *devRun) demoMerchant(ctx context.Context, key []byte) error {
	path := filepath.Join(d.dir, "demo-merchant.json")
	if b, err := os.ReadFile(path); err == nil {
		var m merchant.Created
		if json.Unmarshal(b, &m) == nil {
			d.info.MerchantID, d.info.APIKey = m.ID, m.APIKey
			return nil // its consumer was ensured when the node started
		}
	}
	sealer, err := secret.NewSealer(key)
	if err != nil {
		return err
	}
	st := &store.Store{Pool: d.node.store.Pool}
	cbSecret, err := d.codesCallbackSecret()
	if err != nil {
		return err
	}
	m, err := merchant.Create(ctx, st, sealer, demoSpec(cbSecret))
	if err != nil {
		return err
	}
	if err := broker.EnsureMerchantConsumer(ctx, d.node.js, m.ID); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return err
	}
	d.info.MerchantID, d.info.APIKey = m.ID, m.APIKey
	return nil
}

// followDemoCutoff makes the ProcessOne simulator close its batch at the
// demo merchant's settlement cut-off, when the orchestrator settles its
// sales. (A later change of the merchant's settlement reaches the
// simulator at the next start of dev, or through POST
// /processone/_sim/config.)
func (d *devRun) followDemoCutoff(ctx context.Context) error {
	id, err := uuid.Parse(d.info.MerchantID)
	if err != nil {
		return fmt.Errorf("demo merchant id %q: %w", d.info.MerchantID, err)
	}
	m, err := d.node.store.MerchantGet(ctx, id)
	if err != nil {
		return fmt.Errorf("demo merchant: %w", err)
	}
	if err := d.sims.ProcessOne.SetBatchCutoff(m.BatchCutoff, m.BatchTimeZone); err != nil {
		return fmt.Errorf("ProcessOne simulator: %w", err)
	}
	return nil
}

// demoSpec is the demo merchant: an account with every provider, with
// credentials its simulator accepts.
func demoSpec(codesCallbackSecret string) merchant.Spec {
	ono, _ := json.Marshal(map[string]string{"merchant_id": uuid.NewString(), "transaction_token": "demo-token"})
	account := func(kv ...string) json.RawMessage {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		b, _ := json.Marshal(m)
		return b
	}
	codes := paycodesim.DefaultMerchants()[0]
	return merchant.Spec{Name: "Demo Shop", ConfirmDeadline: "15m", Providers: map[string]json.RawMessage{
		events.ProviderOnoConnect: ono,
		events.ProviderProcessOne: account("authentication_key", processonesim.DevAuthenticationKey),
		events.ProviderOnePipe:    account("api_key", onepipesim.DefaultSimAPIKey, "secret", onepipesim.DefaultSimSecret),
		events.ProviderUtility:    account("client_id", "demo", "api_key", "demo"), // utilitysim takes any by default
		events.ProviderCodes: account("username", codes.Username, "password", codes.Password,
			"callback_secret", codesCallbackSecret),
	}}
}

// codesCallbackSecret is the demo merchant's secret for the payment-codes
// provider's signed callbacks, kept in the data dir so that the simulator
// signs with it again after a restart.
func (d *devRun) codesCallbackSecret() (string, error) {
	return loadOrCreate(filepath.Join(d.dir, "codes-callback.secret"), secret.NewToken)
}

// demoCodesCallback makes the codes simulator send the demo merchant's
// payment notifications, signed, to this orchestrator.
func (d *devRun) demoCodesCallback() error {
	s, err := d.codesCallbackSecret()
	if err != nil {
		return err
	}
	d.sims.Codes.SetAccountCallback(paycodesim.DefaultMerchants()[0].Username,
		"http://"+d.node.httpAddr+"/v1/provider-callbacks/codes?merchant="+d.info.MerchantID, s)
	return nil
}

func (d *devRun) stop() {
	if d.node != nil {
		d.node.stop()
	}
	if d.simStop != nil {
		d.simStop()
	}
	if d.nats != nil {
		d.nats.Shutdown()
	}
	if d.pg != nil {
		_ = d.pg.Stop()
	}
	_ = os.Remove(filepath.Join(d.dir, "dev.json"))
}

func loadOrCreate(path string, make func() string) (string, error) {
	if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
		return string(b), nil
	}
	v := make()
	return v, os.WriteFile(path, []byte(v), 0o600)
}

func (d *devRun) printBanner() {
	i := d.info
	fmt.Printf(`
Switchyard dev is ready (%s)

  HTTP API        %s
  NATS            %s
  PostgreSQL      %s
  Simulators      %s  (ono//connect at %s/onoconnect)
  Admin token     %s

  Demo merchant   %s
  API key         %s

Try a charge (amounts ending in .51 are declined by the simulator):

  curl -s %s/v1/charges -H 'Authorization: Bearer %s' \
    -H 'Idempotency-Key: demo-'$(date +%%s) -H 'Prefer: wait=5' -H 'Content-Type: application/json' \
    -d '{"provider":"onoconnect","amount":"10.00","currency":"ZAR","reference":"order-'$(date +%%s)'","payment_method":{"type":"card","card_number":"4111111111111111"}}'

Then confirm it with the "id" it returns:

  curl -s -X POST %s/v1/charges/<id>/confirm -H 'Authorization: Bearer %s' -H 'Idempotency-Key: confirm-<id>' -H 'Prefer: wait=5'

Or over NATS, as the merchant (user: merchant id, password: API key; its
events through its own durable consumer merchant-<id>):

  nats --server %s --user %s --password %s --inbox-prefix _INBOX_%s \
    consumer next PAY_EVENTS merchant-%s --count 10

Data is kept in %s; Ctrl-C stops everything.
`, time.Since(d.started).Round(time.Millisecond), i.HTTP, i.NATSURL, redactURL(i.DatabaseURL), i.SimURL, i.SimURL,
		i.AdminToken, i.MerchantID, i.APIKey, i.HTTP, i.APIKey, i.HTTP, i.APIKey,
		i.NATSURL, i.MerchantID, i.APIKey, i.MerchantID, i.MerchantID, d.dir)
}

// redactURL hides the password of a --database-url in what dev prints.
func redactURL(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Redacted()
	}
	return "(unparsable database URL)"
}
