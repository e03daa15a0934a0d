package natsauth_test

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
)

// TestMerchantConfinement is issue 7's "done when": against a real
// nats-server with auth callout, merchant A reaches its own subjects and
// consumer and nothing else.
func TestMerchantConfinement(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	a, err := b.connectMerchant(t, b.a.ID, b.a.APIKey)
	must(t, err)

	// Its own commands: a JetStream publish, acknowledged through its inbox.
	ack, err := a.js.Publish(ctx, events.CommandRoot+"."+b.a.ID+".charge", []byte(`{}`))
	must(t, err)
	if ack.Stream != events.StreamCommands {
		t.Fatalf("ack from %q", ack.Stream)
	}
	// Its own events, through its durable consumer, acked.
	for _, m := range []string{b.a.ID, b.b.ID} {
		_, err := b.svc.Publish(ctx, events.EventRoot+"."+m+".charge.captured", []byte(m))
		must(t, err)
	}
	cons, err := a.js.Consumer(ctx, events.StreamEvents, broker.MerchantConsumer(b.a.ID))
	must(t, err)
	batch, err := cons.Fetch(2, jetstream.FetchMaxWait(2*time.Second))
	must(t, err)
	var got []string
	for m := range batch.Messages() {
		got = append(got, string(m.Data()))
		must(t, m.DoubleAck(ctx))
	}
	if len(got) != 1 || got[0] != b.a.ID {
		t.Fatalf("A read %q, want only its own event", got)
	}
	info, err := cons.Info(ctx)
	must(t, err)
	if info.AckFloor.Stream == 0 {
		t.Fatalf("ack not recorded: %+v", info.AckFloor)
	}

	idB := b.b.ID
	denied := []struct {
		name, subject string
		data          string
	}{
		{"publish B's command", events.CommandRoot + "." + idB + ".charge", `{}`},
		{"publish an event", events.EventRoot + "." + b.a.ID + ".charge.captured", `{}`},
		{"create a consumer", "$JS.API.CONSUMER.CREATE.PAY_EVENTS", `{"stream_name":"PAY_EVENTS","config":{"ack_policy":"explicit"}}`},
		{"modify its own consumer", "$JS.API.CONSUMER.CREATE.PAY_EVENTS.merchant-" + b.a.ID + ".pay.evt.>", `{"stream_name":"PAY_EVENTS","config":{"durable_name":"merchant-` + b.a.ID + `","filter_subject":"pay.evt.>","ack_policy":"explicit"}}`},
		{"modify B's consumer", "$JS.API.CONSUMER.DURABLE.CREATE.PAY_EVENTS.merchant-" + idB, `{}`},
		{"create on PAY_COMMANDS", "$JS.API.CONSUMER.CREATE.PAY_COMMANDS.x", `{}`},
		{"fetch from B's consumer", "$JS.API.CONSUMER.MSG.NEXT.PAY_EVENTS.merchant-" + idB, `{"batch":1}`},
		{"read B's consumer", "$JS.API.CONSUMER.INFO.PAY_EVENTS.merchant-" + idB, ``},
		{"ack on B's consumer", "$JS.ACK.PAY_EVENTS.merchant-" + idB + ".1.1.1.1.0", `+ACK`},
		{"read a stream message", "$JS.API.STREAM.MSG.GET.PAY_EVENTS", `{"seq":1}`},
		{"direct get", "$JS.API.DIRECT.GET.PAY_EVENTS", `{"seq":1}`},
		{"direct get last", "$JS.API.DIRECT.GET.PAY_EVENTS.pay.evt." + idB + ".charge.captured", ``},
		{"list streams", "$JS.API.STREAM.LIST", `{}`},
		{"stream names", "$JS.API.STREAM.NAMES", `{}`},
		{"stream info", "$JS.API.STREAM.INFO.PAY_COMMANDS", ``},
		{"list consumers", "$JS.API.CONSUMER.LIST.PAY_COMMANDS", `{}`},
		{"consumer names", "$JS.API.CONSUMER.NAMES.PAY_EVENTS", `{}`},
		{"delete a consumer", "$JS.API.CONSUMER.DELETE.PAY_EVENTS.merchant-" + idB, ``},
		{"delete a stream", "$JS.API.STREAM.DELETE.PAY_EVENTS", ``},
		{"purge a stream", "$JS.API.STREAM.PURGE.PAY_COMMANDS", ``},
	}
	for _, d := range denied {
		t.Run("publish/"+d.name, func(t *testing.T) {
			must(t, a.nc.PublishRequest(d.subject, a.nc.NewRespInbox(), []byte(d.data)))
			a.denied(t, d.subject)
		})
	}
	// Subscriptions are refused asynchronously too.
	for _, subj := range []string{
		events.EventRoot + "." + idB + ".>", events.CommandRoot + "." + b.a.ID + ".>", events.CommandRoot + ".>",
		"_INBOX_" + idB + ".>", ">", "$JS.API.>",
	} {
		t.Run("subscribe/"+subj, func(t *testing.T) {
			_, err := a.nc.SubscribeSync(subj)
			must(t, err)
			a.denied(t, subj)
		})
	}
	// Nothing changed on the service's side.
	if n := consumerCount(t, b.svc, events.StreamEvents); n != 2 {
		t.Fatalf("PAY_EVENTS has %d consumers, want the 2 merchants'", n)
	}
	if n := consumerCount(t, b.svc, events.StreamCommands); n != 0 {
		t.Fatalf("PAY_COMMANDS has %d consumers", n)
	}
	cb, err := b.svc.Consumer(ctx, events.StreamEvents, broker.MerchantConsumer(idB))
	must(t, err)
	if ci := cb.CachedInfo(); ci.Config.FilterSubject != events.EventRoot+"."+idB+".>" || ci.NumPending != 1 {
		t.Fatalf("B's consumer changed: filter %q, pending %d", ci.Config.FilterSubject, ci.NumPending)
	}
	if !a.nc.IsConnected() {
		t.Fatal("violations closed A's connection")
	}
}

// TestKeys: a wrong key and a revoked key are refused; after a rotation
// the new key works and the old one until its overlap ends, when its live
// connection is closed too.
func TestKeys(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()

	_, err := b.connectMerchant(t, b.a.ID, b.b.APIKey) // B's key as A
	if !isAuthError(err) {
		t.Fatalf("A with B's key: %v", err)
	}
	_, err = b.connectMerchant(t, b.a.ID, "sk_wrong")
	if !isAuthError(err) {
		t.Fatalf("wrong key: %v", err)
	}
	_, err = b.connectMerchant(t, "not.a.merchant", b.a.APIKey)
	if !isAuthError(err) {
		t.Fatalf("bad user: %v", err)
	}

	live, err := b.connectMerchant(t, b.b.ID, b.b.APIKey, nats.MaxReconnects(0))
	must(t, err)
	kicked := make(chan struct{})
	live.nc.SetClosedHandler(func(*nats.Conn) { close(kicked) })
	must(t, b.store.APIKeyRevoke(ctx, mustUUID(t, b.b.ID), b.b.APIKeyPrefix))
	_, err = b.connectMerchant(t, b.b.ID, b.b.APIKey)
	if !isAuthError(err) {
		t.Fatalf("revoked key: %v", err)
	}
	select { // closed by the responder through the system account, long before its JWT's 5 minutes
	case <-kicked:
	case <-time.After(10 * time.Second):
		t.Fatal("the revoked key's live connection is still open")
	}

	old, err := b.connectMerchant(t, b.a.ID, b.a.APIKey, nats.MaxReconnects(0))
	must(t, err)
	closed := make(chan struct{})
	old.nc.SetClosedHandler(func(*nats.Conn) { close(closed) })
	newKey := rotate(t, b, b.a.ID, 2*time.Second)
	_, err = b.connectMerchant(t, b.a.ID, newKey)
	must(t, err)
	_, err = b.connectMerchant(t, b.a.ID, b.a.APIKey) // within the overlap
	must(t, err)
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the old key's connection outlived its overlap")
	}
	_, err = b.connectMerchant(t, b.a.ID, b.a.APIKey)
	if !isAuthError(err) {
		t.Fatalf("old key after its overlap: %v", err)
	}
}
