package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema"
	"github.com/switchyard/switchyard/schema/schematest"
)

// merchantProgram is the README's Go program: a merchant connects with its
// id and API key, publishes a charge and reads its own events through its
// own durable consumer, merchant-<id>.
func merchantProgram(ctx context.Context, natsURL, merchantID, apiKey string) (*events.Event, error) {
	nc, err := nats.Connect(natsURL, nats.UserInfo(merchantID, apiKey), nats.CustomInboxPrefix("_INBOX_"+merchantID))
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	cmd := `{"specversion":"1.0","id":"order-1001","source":"pos-1","type":"charge.create","datacontenttype":"application/json",
		"data":{"provider":"onoconnect","amount":"10.00","currency":"ZAR","reference":"order-1001","payment_method":{"type":"card","card_number":"4111111111111111"}}}`
	if _, err := js.Publish(ctx, "pay.cmd."+merchantID+".charge.create", []byte(cmd), jetstream.WithMsgID("order-1001")); err != nil {
		return nil, err
	}
	cons, err := js.Consumer(ctx, "PAY_EVENTS", "merchant-"+merchantID)
	if err != nil {
		return nil, err
	}
	msg, err := cons.Next(jetstream.FetchMaxWait(10 * time.Second))
	if err != nil {
		return nil, err
	}
	var ev events.Event
	if err := json.Unmarshal(msg.Data(), &ev); err != nil {
		return nil, err
	}
	return &ev, msg.Ack()
}

// TestMerchantOverNATSWithAuthCallout: serve's auth role against a NATS
// server with auth callout; a merchant created through the API reads its
// events through the consumer the API created for it.
func TestMerchantOverNATSWithAuthCallout(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	issuer, _ := nkeys.CreateAccount()
	pub, _ := issuer.PublicKey()
	seed, _ := issuer.Seed()
	auth := broker.EmbeddedAuth{Issuer: pub, Service: broker.User{Name: "switchyard", Password: "svc"},
		Callout: broker.User{Name: "auth", Password: "callout"}, System: broker.User{Name: "sys", Password: "sys"}}
	srv, err := broker.StartEmbedded(broker.EmbeddedOptions{StoreDir: t.TempDir(), Port: -1, Auth: &auth})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	u, _ := url.Parse(srv.URL())
	u.User = url.UserPassword(auth.Service.Name, auth.Service.Password) // brokertest.Connect uses the service user too
	e := newEnvOn(t, append(append([]string(nil), allRoles...), authRole), u.String(), func(c *nodeConfig) {
		c.NATSCreds = natsCreds{AuthUser: auth.Callout.Name, AuthPassword: auth.Callout.Password, IssuerSeed: string(seed),
			SystemUser: auth.System.Name, SystemPassword: auth.System.Password}
	})
	m := e.newMerchant("15m")
	ev, err := merchantProgram(t.Context(), srv.URL(), m.id, m.apiKey)
	if err != nil {
		t.Fatal(err)
	}
	if ev.MerchantID != m.id || !strings.HasPrefix(ev.Type, "charge.") {
		t.Fatalf("event %+v", ev)
	}
	if _, err := merchantProgram(t.Context(), srv.URL(), m.id, "sk_wrong"); err == nil {
		t.Fatal("a wrong key connected")
	}
}

// TestStartEnsuresMerchantConsumers: a merchant created without NATS (an
// older version, or `merchant create` without --nats-url) gets its consumer
// when an instance starts; starting again changes nothing.
func TestStartEnsuresMerchantConsumers(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	db := schematest.NewDB(t)
	if _, err := schema.Migrate(t.Context(), db, nil); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), db, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sealer, _ := secret.NewSealer(make([]byte, 32))
	m, err := merchant.Create(t.Context(), st, sealer, merchant.Spec{Name: "Older Shop"})
	if err != nil {
		t.Fatal(err)
	}
	natsURL := brokertest.Start(t)
	_, js := brokertest.Connect(t, natsURL)
	for range 2 {
		n, err := startNode(t.Context(), nodeConfig{DatabaseURL: db, NATSURL: natsURL, SecretKey: make([]byte, 32),
			Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		n.stop()
		if _, err := js.Consumer(t.Context(), events.StreamEvents, broker.MerchantConsumer(m.ID)); err != nil {
			t.Fatalf("merchant's consumer after start: %v", err)
		}
	}
}
