package natsauth_test

import (
	"errors"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
)

// TestReplyInjection: NATS permissions do not cover a publish's reply
// subject, and JetStream sends its publish ack to it. Were merchants in the
// streams' account, merchant A publishing its own command with the reply
// pay.evt.<B>.x (or pay.cmd.<B>.x) would have the stream store that ack as
// B's event (or command). Merchants live in an account of their own that
// reaches the streams through service imports, so the server maps the
// reply and the ack is answered in the merchants' account, never stored.
// (A live, core subscription of B to its events can still receive such an
// ack: B's durable consumer cannot.)
func TestReplyInjection(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	a, err := b.connectMerchant(t, b.a.ID, b.a.APIKey)
	must(t, err)
	targets := map[string]string{
		events.StreamEvents:   events.EventRoot + "." + b.b.ID + ".charge.fake",
		events.StreamCommands: events.CommandRoot + "." + b.b.ID + ".charge.create",
	}
	for _, target := range targets {
		must(t, a.nc.PublishMsg(&nats.Msg{Subject: events.CommandRoot + "." + b.a.ID + ".charge.create", Reply: target, Data: []byte(`{}`)}))
	}
	// A's next, acknowledged publish is stored after the injected ones'
	// acks were sent: had they been stored, they would be there now.
	_, err = a.js.Publish(ctx, events.CommandRoot+"."+b.a.ID+".charge.create", []byte(`{}`))
	must(t, err)
	for stream, target := range targets {
		s, err := b.svc.Stream(ctx, stream)
		must(t, err)
		_, err = s.GetLastMsgForSubject(ctx, target)
		if err == nil {
			t.Fatalf("merchant A wrote on %s in %s through a reply subject", target, stream)
		}
		if !errors.Is(err, jetstream.ErrMsgNotFound) {
			t.Fatal(err)
		}
	}
}
