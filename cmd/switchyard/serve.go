package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/secret"
)

// commonFlags are the flags serve and dev share.
type commonFlags struct {
	httpAddr, databaseURL, natsURL, adminToken, secretKey, roles, logLevel string
	onoURL, processoneURL, onepipeURL, utilityURL, codesURL                string
	providerTimeout, retryInitial                                          time.Duration
	webhookAllowPrivate                                                    bool
	pprofAddr                                                              string
	logFormat, otlpEndpoint                                                string
	natsTLS                                                                broker.TLS
	nats                                                                   natsCreds
	dbMaxConns                                                             int
	absenceDelays                                                          durationList
}

func (c *commonFlags) register(fs *flag.FlagSet, allowPrivate bool) {
	fs.StringVar(&c.httpAddr, "http-addr", "127.0.0.1:8080", "HTTP API listen address")
	fs.StringVar(&c.databaseURL, "database-url", "", "PostgreSQL URL")
	fs.StringVar(&c.natsURL, "nats-url", "", "NATS URL (tls://host:4222 for TLS)")
	fs.StringVar(&c.natsTLS.CA, "nats-ca", "", "PEM file of the CA that signed the NATS server's certificate (default: system roots)")
	fs.StringVar(&c.natsTLS.Cert, "nats-cert", "", "PEM client certificate for NATS (with --nats-key)")
	fs.StringVar(&c.natsTLS.Key, "nats-key", "", "PEM key of --nats-cert")
	fs.StringVar(&c.nats.User, "nats-user", "", "NATS user of the service (empty: a NATS server without authentication)")
	fs.StringVar(&c.nats.Password, "nats-password", "", "password of --nats-user")
	fs.StringVar(&c.nats.AuthUser, "nats-auth-user", "", "role auth: the auth callout user (auth_users of the AUTH account)")
	fs.StringVar(&c.nats.AuthPassword, "nats-auth-password", "", "role auth: password of --nats-auth-user")
	fs.StringVar(&c.nats.IssuerSeed, "nats-auth-issuer-seed", "", "role auth: account nkey seed (SA…) whose public key is auth_callout's issuer")
	fs.StringVar(&c.nats.SystemUser, "nats-system-user", "", "role auth: system account user, to close connections of revoked keys at once (else within 5 minutes)")
	fs.StringVar(&c.nats.SystemPassword, "nats-system-password", "", "password of --nats-system-user")
	fs.StringVar(&c.adminToken, "admin-token", "", "token guarding /v1/admin/*")
	fs.StringVar(&c.secretKey, "secret-key", "", "base64 32-byte key sealing provider credentials and card data at rest")
	fs.StringVar(&c.roles, "roles", "all", "roles to run: api,intake,workers,relay,timers,webhooks,auth (all: every role, auth only when --nats-auth-issuer-seed is set)")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.Var(&logFormat{&c.logFormat}, "log-format", "json (structured lines, the default) or text")
	fs.StringVar(&c.otlpEndpoint, "otlp-endpoint", "", "export spans over OTLP/HTTP to this collector (e.g. http://collector:4318); off when empty, unless OTEL_EXPORTER_OTLP_ENDPOINT is set")
	fs.StringVar(&c.onoURL, "onoconnect-url", "", "ono//connect base URL")
	fs.StringVar(&c.processoneURL, "processone-url", "", "ProcessOne base URL (required by the workers role once a merchant has an account there)")
	fs.StringVar(&c.onepipeURL, "onepipe-url", "", "OnePipe base URL (required by the workers role once a merchant has an account there)")
	fs.StringVar(&c.utilityURL, "utility-url", "", "utility purchases base URL (required by the workers role once a merchant has an account there)")
	fs.StringVar(&c.codesURL, "codes-url", "", "payment codes base URL (required by the workers role once a merchant has an account there)")
	fs.DurationVar(&c.providerTimeout, "provider-timeout", 10*time.Second, "time-out of every provider call")
	fs.DurationVar(&c.retryInitial, "retry-initial", time.Second, "first back-off interval of provider retries (409s)")
	fs.IntVar(&c.dbMaxConns, "db-max-conns", 64, "PostgreSQL connections of this instance")
	c.absenceDelays = durationList(charge.DefaultAbsenceDelays)
	fs.Var(&c.absenceDelays, "absence-delays", "waits between the checks of a charge reversed by reference that the provider says it never got, before it is believed (comma-separated durations)")
	fs.StringVar(&c.pprofAddr, "pprof-addr", "", "serve net/http/pprof on this address (e.g. 127.0.0.1:6060); off when empty")
	fs.BoolVar(&c.webhookAllowPrivate, "webhook-allow-private", allowPrivate, "allow webhook endpoints on private addresses")
}

func (c *commonFlags) nodeConfig(key []byte) (nodeConfig, error) {
	roles, err := c.parseRoles()
	if err != nil {
		startPprof(c.pprofAddr)
		return nodeConfig{}, err
	}
	startPprof(c.pprofAddr)
	return nodeConfig{
		DatabaseURL: c.databaseURL, NATSURL: c.natsURL, NATSTLS: c.natsTLS, NATSCreds: c.nats, HTTPAddr: c.httpAddr, AdminToken: c.adminToken,
		SecretKey: key, Roles: roles, ProviderTimeout: c.providerTimeout, WebhookAllowPrivate: c.webhookAllowPrivate,
		OnoConnectURL: c.onoURL, ProcessOneURL: c.processoneURL, OnePipeURL: c.onepipeURL, UtilityURL: c.utilityURL,
		CodesURL:     c.codesURL,
		DBMaxConns:   int32(c.dbMaxConns),
		Policy:       charge.Policy{RetryInitial: c.retryInitial, AbsenceDelays: c.absenceDelays},
		Log:          newLogger(c.logLevel, c.logFormat),
		OTLPEndpoint: c.otlpEndpoint,
	}, nil
}

// parseRoles is parseRoles with auth added to "all" when its issuer seed
// is given.
func (c *commonFlags) parseRoles() ([]string, error) {
	roles, err := parseRoles(c.roles)
	if err == nil && (c.roles == "" || c.roles == "all") && c.nats.IssuerSeed != "" {
		roles = append(append([]string(nil), roles...), authRole)
	}
	return roles, err
}

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c commonFlags
	c.register(fs, false)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case c.databaseURL == "":
		return errors.New("--database-url (SWITCHYARD_DATABASE_URL) is required")
	case c.natsURL == "":
		return errors.New("--nats-url (SWITCHYARD_NATS_URL) is required")
	case c.secretKey == "":
		return errors.New("--secret-key (SWITCHYARD_SECRET_KEY) is required: make one with: head -c32 /dev/urandom | base64")
	}
	key, err := secret.ParseKey(c.secretKey)
	if err != nil {
		return err
	}
	roles, err := c.parseRoles()
	if err != nil {
		return err
	}
	if err := c.checkProviderURLs(roles); err != nil {
		return err
	}
	cfg, err := c.nodeConfig(key)
	if err != nil {
		return err
	}
	n, err := startNode(ctx, cfg)
	if err != nil {
		return err
	}
	cfg.Log.Info("switchyard serving", "http", n.httpAddr, "roles", cfg.Roles)
	<-ctx.Done()
	cfg.Log.Info("shutting down")
	n.stop()
	return nil
}

func runMigrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	dbURL := fs.String("database-url", "", "PostgreSQL URL")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dbURL == "" {
		return errors.New("--database-url (SWITCHYARD_DATABASE_URL) is required")
	}
	applied, err := migrate(ctx, *dbURL)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Println("schema is up to date")
	}
	for _, v := range applied {
		fmt.Printf("applied migration %04d\n", v)
	}
	return nil
}

// logFormat is the --log-format flag: json or text.
type logFormat struct{ v *string }

func (f *logFormat) String() string {
	if f.v == nil || *f.v == "" {
		return "json"
	}
	return *f.v
}

func (f *logFormat) Set(s string) error {
	if s != "json" && s != "text" {
		return fmt.Errorf("%q: want json or text", s)
	}
	*f.v = s
	return nil
}

// durationList is a flag of comma-separated durations.
type durationList []time.Duration

func (l *durationList) String() string {
	parts := make([]string, len(*l))
	for i, d := range *l {
		parts[i] = d.String()
	}
	return strings.Join(parts, ",")
}

func (l *durationList) Set(s string) error {
	var out durationList
	for _, part := range strings.Split(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d <= 0 {
			return fmt.Errorf("%q is not a positive duration", part)
		}
		out = append(out, d)
	}
	*l = out
	return nil
}
