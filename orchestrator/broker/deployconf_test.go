package broker_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"github.com/switchyard/switchyard/orchestrator/broker"
)

// TestDeployConfig: deploy/nats-server.conf parses and keeps the callout
// account, the service and system accounts, the JetStream domain and
// sync_interval: always (its tls {} block is left out: no certificates here).
func TestDeployConfig(t *testing.T) {
	b, err := os.ReadFile("../../deploy/nats-server.conf")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^tls \{`).Match(b) {
		t.Fatal("no tls {} block")
	}
	noTLS := regexp.MustCompile(`(?ms)^tls \{.*?^\}`).ReplaceAll(b, nil)
	path := filepath.Join(t.TempDir(), "nats-server.conf")
	if err := os.WriteFile(path, noTLS, 0o600); err != nil {
		t.Fatal(err)
	}
	kp, _ := nkeys.CreateAccount()
	pub, _ := kp.PublicKey()
	for k, v := range map[string]string{"SWITCHYARD_JETSTREAM_KEY": "k", "SWITCHYARD_NATS_PASSWORD": "p1",
		"SWITCHYARD_NATS_AUTH_PASSWORD": "p2", "SWITCHYARD_NATS_SYSTEM_PASSWORD": "p3", "SWITCHYARD_NATS_AUTH_ISSUER": pub} {
		t.Setenv(k, v)
	}
	o, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ac := o.AuthCallout
	switch {
	case ac == nil || ac.Issuer != pub || ac.Account != "AUTH" || len(ac.AuthUsers) != 3:
		t.Fatalf("auth_callout %+v", ac)
	case o.SystemAccount != "SYS" || len(o.Accounts) != 4:
		t.Fatalf("accounts %d, system %q", len(o.Accounts), o.SystemAccount)
	case o.JetStreamDomain == "" || !o.SyncAlways:
		t.Fatalf("jetstream domain %q, sync always %v", o.JetStreamDomain, o.SyncAlways)
	}
	// The merchants' imports are the embedded server's (broker.MerchantServices).
	conf := string(b)
	for _, s := range append(broker.MerchantServices, broker.MerchantStreams...) {
		if !strings.Contains(conf, `{ service: { account: SWITCHYARD, subject: "`+s+`" } }`) &&
			!strings.Contains(conf, `{ stream: { account: SWITCHYARD, subject: "`+s+`" } }`) {
			t.Errorf("MERCHANTS does not import %q", s)
		}
	}
}
