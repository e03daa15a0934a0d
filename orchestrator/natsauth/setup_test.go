package natsauth_test

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"

	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/natsauth"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

// bundle is a NATS server with auth callout, the responder, the service's
// connection and a database with two merchants.
type bundle struct {
	url       string
	store     *store.Store
	svc       jetstream.JetStream
	responder *natsauth.Responder
	a, b      *merchant.Created
}

var testAuth = broker.EmbeddedAuth{
	Service: broker.User{Name: "switchyard", Password: "svc-pass"},
	Callout: broker.User{Name: "auth", Password: "auth-pass"},
	System:  broker.User{Name: "sys", Password: "sys-pass"},
}

func setup(t testing.TB, mutate ...func(*natsauth.Config)) *bundle {
	t.Helper()
	ctx := t.Context()
	issuer, err := nkeys.CreateAccount()
	must(t, err)
	auth := testAuth
	auth.Issuer, err = issuer.PublicKey()
	must(t, err)
	srv, err := broker.StartEmbedded(broker.EmbeddedOptions{StoreDir: t.TempDir(), Port: -1, Auth: &auth})
	must(t, err)
	t.Cleanup(srv.Shutdown)
	st, err := store.Open(ctx, schematest.NewDB(t), 8)
	must(t, err)
	t.Cleanup(st.Close)
	svc := connect(t, srv.URL(), nats.UserInfo(auth.Service.Name, auth.Service.Password))
	js, err := jetstream.New(svc)
	must(t, err)
	must(t, broker.EnsureStreams(ctx, js))
	cfg := natsauth.Config{
		NATS:   connect(t, srv.URL(), nats.UserInfo(auth.Callout.Name, auth.Callout.Password)),
		System: connect(t, srv.URL(), nats.UserInfo(auth.System.Name, auth.System.Password)),
		Issuer: issuer, Account: broker.MerchantAccount, Keys: natsauth.StoreKeys{Store: st},
		Log: slog.New(slog.DiscardHandler),
	}
	for _, m := range mutate {
		m(&cfg)
	}
	r, err := natsauth.New(cfg)
	must(t, err)
	must(t, r.Start(ctx))
	t.Cleanup(r.Stop)
	lctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); st.ListenAPIKeys(lctx, r.Changed, cfg.Log) }()
	t.Cleanup(func() { stop(); <-done })
	b := &bundle{url: srv.URL(), store: st, svc: js, responder: r}
	b.a, b.b = b.newMerchant(t, "A"), b.newMerchant(t, "B")
	return b
}

func (b *bundle) newMerchant(t testing.TB, name string) *merchant.Created {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	sealer, err := secret.NewSealer(key)
	must(t, err)
	m, err := merchant.Create(t.Context(), b.store, sealer, merchant.Spec{Name: name})
	must(t, err)
	must(t, broker.EnsureMerchantConsumer(t.Context(), b.svc, m.ID))
	return m
}

// merchantConn is a merchant's connection with its errors.
type merchantConn struct {
	nc   *nats.Conn
	js   jetstream.JetStream
	errs chan error
}

func (b *bundle) connectMerchant(t testing.TB, id, key string, opts ...nats.Option) (*merchantConn, error) {
	t.Helper()
	mc := &merchantConn{errs: make(chan error, 64)}
	base := []nats.Option{nats.UserInfo(id, key), nats.CustomInboxPrefix("_INBOX_" + id),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			select {
			case mc.errs <- err:
			default:
			}
		})}
	nc, err := nats.Connect(b.url, append(base, opts...)...)
	if err != nil {
		return nil, err
	}
	t.Cleanup(nc.Close)
	mc.nc = nc
	mc.js, err = jetstream.New(nc)
	return mc, err
}

// denied waits for the server's asynchronous "Permissions Violation" about
// subject on mc's error handler.
func (mc *merchantConn) denied(t *testing.T, subject string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case err := <-mc.errs:
			if strings.Contains(err.Error(), "Permissions Violation") && strings.Contains(err.Error(), `"`+subject+`"`) {
				return
			}
			t.Logf("other error while waiting: %v", err)
		case <-deadline:
			t.Fatalf("no permissions violation for %q", subject)
		}
	}
}

func connect(t testing.TB, url string, opts ...nats.Option) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url, opts...)
	must(t, err)
	t.Cleanup(nc.Close)
	return nc
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// eventually polls cond until it holds or 10 s have passed.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond) // polling interval, not a wait for a condition
	}
}

func consumerCount(t testing.TB, js jetstream.JetStream, stream string) int {
	t.Helper()
	s, err := js.Stream(context.Background(), stream)
	must(t, err)
	info, err := s.Info(context.Background())
	must(t, err)
	return info.State.Consumers
}

func isAuthError(err error) bool {
	return err != nil && (errors.Is(err, nats.ErrAuthorization) || strings.Contains(strings.ToLower(err.Error()), "authorization"))
}

func mustUUID(t testing.TB, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	must(t, err)
	return id
}

// rotate gives the merchant a new key, its others ending after overlap.
func rotate(t testing.TB, b *bundle, id string, overlap time.Duration) string {
	t.Helper()
	key, hash := secret.NewAPIKey()
	_, err := b.store.APIKeyRotate(t.Context(), &store.APIKeyRotateParams{MerchantID: mustUUID(t, id), KeyHash: hash,
		Prefix: key[:12], Overlap: overlap})
	must(t, err)
	return key
}
