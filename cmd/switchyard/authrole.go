package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/natsauth"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// natsCreds are the NATS credentials of the service and of the auth role.
type natsCreds struct {
	User, Password string // the service's own connection (empty: none)
	// The auth role: the callout user of the AUTH account, the account
	// seed (SA…) whose public key is the server's auth_callout issuer, and
	// optionally a system account user to close live connections of keys
	// that stop working (without it: within the user JWT's 5 minutes).
	AuthUser, AuthPassword, IssuerSeed string
	SystemUser, SystemPassword         string
}

// userOption is nats.UserInfo when user is set.
func userOption(user, password string) []nats.Option {
	if user == "" {
		return nil
	}
	return []nats.Option{nats.UserInfo(user, password)}
}

// startAuth starts the auth callout responder with its own connections.
func (n *node) startAuth(ctx context.Context) error {
	c := n.cfg.NATSCreds
	if c.AuthUser == "" || c.IssuerSeed == "" {
		return errors.New("role auth: --nats-auth-user, --nats-auth-password and --nats-auth-issuer-seed are required")
	}
	issuer, err := nkeys.FromSeed([]byte(c.IssuerSeed))
	if err != nil {
		return fmt.Errorf("--nats-auth-issuer-seed: %w", err)
	}
	n.authNC, err = n.dialNATS("switchyard-auth", c.AuthUser, c.AuthPassword)
	if err != nil {
		return err
	}
	cfg := natsauth.Config{NATS: n.authNC, Issuer: issuer, Keys: natsauth.StoreKeys{Store: n.store}, Log: n.cfg.Log}
	if c.SystemUser != "" {
		if n.sysNC, err = n.dialNATS("switchyard-auth-system", c.SystemUser, c.SystemPassword); err != nil {
			return err
		}
		cfg.System = n.sysNC
	}
	if n.auth, err = natsauth.New(cfg); err != nil {
		return err
	}
	if err := n.auth.Start(ctx); err != nil {
		return err
	}
	n.goRun("auth-keys", func() error { n.store.ListenAPIKeys(ctx, n.auth.Changed, n.cfg.Log); return nil })
	return nil
}

func (n *node) dialNATS(name, user, password string) (*nats.Conn, error) {
	tlsOpts, err := n.cfg.NATSTLS.Options()
	if err != nil {
		return nil, err
	}
	return broker.Connect(withoutUserInfo(n.cfg.NATSURL), name, append(tlsOpts, userOption(user, password)...)...)
}

// withoutUserInfo drops user:password@ from each of the comma-separated
// URLs: nats.go would prefer them to the auth role's own credentials.
func withoutUserInfo(urls string) string {
	parts := strings.Split(urls, ",")
	for i, p := range parts {
		if u, err := url.Parse(strings.TrimSpace(p)); err == nil && u.User != nil {
			u.User = nil
			parts[i] = u.String()
		}
	}
	return strings.Join(parts, ",")
}

// ensureMerchantConsumers creates every merchant's consumer on PAY_EVENTS
// that is missing (merchants created before issue 7, or by `merchant
// create` without --nats-url). Existing ones are left alone, so that a
// start costs one listing, not one write per merchant.
func ensureMerchantConsumers(ctx context.Context, js jetstream.JetStream, st *store.Store) error {
	ids, err := st.MerchantIDs(ctx)
	if err != nil {
		return err
	}
	stream, err := js.Stream(ctx, events.StreamEvents)
	if err != nil {
		return fmt.Errorf("stream %s: %w", events.StreamEvents, err)
	}
	have := map[string]bool{}
	names := stream.ConsumerNames(ctx)
	for name := range names.Name() {
		have[name] = true
	}
	if err := names.Err(); err != nil {
		return fmt.Errorf("consumers of %s: %w", events.StreamEvents, err)
	}
	for _, id := range ids {
		if have[broker.MerchantConsumer(id.String())] {
			continue
		}
		if err := broker.EnsureMerchantConsumer(ctx, js, id.String()); err != nil {
			return err
		}
	}
	return nil
}

// natsFlags let a command reach NATS as the service.
type natsFlags struct {
	url, user, password string
	tls                 broker.TLS
}

func (f *natsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.url, "nats-url", "", "NATS URL: creates the merchant's PAY_EVENTS consumer now (else serve creates it when it next starts)")
	fs.StringVar(&f.user, "nats-user", "", "NATS user of the service")
	fs.StringVar(&f.password, "nats-password", "", "password of --nats-user")
	fs.StringVar(&f.tls.CA, "nats-ca", "", "PEM file of the CA of the NATS server's certificate")
}

// ensureConsumer creates the merchant's consumer when --nats-url is given.
func (f *natsFlags) ensureConsumer(ctx context.Context, merchantID string) error {
	if f.url == "" {
		fmt.Fprintln(os.Stderr, "no --nats-url: the merchant's NATS consumer is created when serve next starts")
		return nil
	}
	tlsOpts, err := f.tls.Options()
	if err != nil {
		return err
	}
	nc, err := broker.Connect(f.url, "switchyard-merchant", append(tlsOpts, userOption(f.user, f.password)...)...)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	return broker.EnsureMerchantConsumer(ctx, js, merchantID)
}
