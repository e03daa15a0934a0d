// Package broker starts the embedded NATS server and declares Switchyard's
// JetStream streams. Every stream is file-backed; the embedded server runs
// with SyncAlways (sync_interval: always) because the default of syncing
// every two minutes loses acknowledged messages on power loss.
package broker

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
)

// CommandDuplicateWindow is PAY_COMMANDS' Nats-Msg-Id window: long enough to
// absorb a client's immediate re-send, short enough that a conflicting reuse
// of an id is seen by intake.
const CommandDuplicateWindow = time.Second

// Embedded is an in-process NATS server with JetStream.
type Embedded struct {
	Server *server.Server
}

// EmbeddedOptions configures Start.
type EmbeddedOptions struct {
	StoreDir string
	Host     string // default 127.0.0.1
	Port     int    // -1 picks a free port
	// EncryptionKey, when set, encrypts the file store at rest (ChaCha20):
	// commands carry card data as the merchant sent it, and the store must
	// not keep it in clear on disk.
	EncryptionKey string
	// Auth, when set, runs the server with accounts and auth callout
	// (see EmbeddedAuth); without it the server has no authentication.
	Auth *EmbeddedAuth
}

// StartEmbedded starts an in-process nats-server with JetStream on a file
// store under StoreDir, listening on 127.0.0.1 only.
func StartEmbedded(o EmbeddedOptions) (*Embedded, error) {
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if o.Port == 0 {
		o.Port = -1
	}
	opts, err := embeddedOptions(o)
	if err != nil {
		return nil, err
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("nats: %w", err)
	}
	fatal := newFatalLogger()
	s.SetLoggerV2(fatal, false, false, false)
	go s.Start()
	if err := waitReady(s, fatal, 15*time.Second); err != nil {
		s.Shutdown()
		return nil, err
	}
	return &Embedded{Server: s}, nil
}

func embeddedOptions(o EmbeddedOptions) (*server.Options, error) {
	opts := &server.Options{}
	if o.Auth != nil {
		conf, err := o.Auth.config()
		if err != nil {
			return nil, err
		}
		if err := opts.ProcessConfigString(conf); err != nil {
			return nil, fmt.Errorf("nats auth configuration: %w", err)
		}
	}
	opts.ServerName, opts.Host, opts.Port = "switchyard-dev", o.Host, o.Port
	opts.JetStream, opts.StoreDir, opts.SyncAlways = true, o.StoreDir, true
	opts.NoLog, opts.NoSigs, opts.MaxPayload = true, true, 4<<20
	opts.JetStreamKey, opts.JetStreamCipher = o.EncryptionKey, server.ChaCha
	return opts, nil
}

// waitReady waits until s accepts connections, failing at once when the
// server reports a fatal error (a busy port: "Error listening on port:
// 127.0.0.1:4222, ... address already in use").
func waitReady(s *server.Server, fatal *fatalLogger, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for !s.ReadyForConnections(50 * time.Millisecond) {
		select {
		case msg := <-fatal.fatal:
			return fmt.Errorf("nats: %s", msg)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nats: embedded server not ready after %v", limit)
		}
	}
	return nil
}

// URL is the client URL of the embedded server.
func (e *Embedded) URL() string { return e.Server.ClientURL() }

// Shutdown stops the server and waits for it.
func (e *Embedded) Shutdown() {
	e.Server.Shutdown()
	e.Server.WaitForShutdown()
}

// Connect dials NATS with reconnects forever and a name; opts add to that
// (TLS: see TLSOptions).
func Connect(url, name string, opts ...nats.Option) (*nats.Conn, error) {
	base := []nats.Option{nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(250 * time.Millisecond)}
	nc, err := nats.Connect(url, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("nats connect %s: %w", url, err)
	}
	return nc, nil
}

// StreamConfigs are the streams Switchyard declares.
func StreamConfigs() []jetstream.StreamConfig {
	return []jetstream.StreamConfig{
		// PostgreSQL, not the stream, decides what is a repeat: the duplicate
		// window on commands is kept short so that the same id with other data
		// reaches intake and is answered idempotency_conflict, as the
		// contract says, instead of being dropped as a JetStream duplicate.
		// Work-queue retention: a command stays only until intake has
		// applied it (intake erases it, then acknowledges), so the card data
		// it carries does not rest in the stream. MaxAge bounds a command no
		// intake ever takes.
		{Name: events.StreamCommands, Subjects: []string{events.CommandRoot + ".>"}, Storage: jetstream.FileStorage,
			MaxAge: 7 * 24 * time.Hour, Duplicates: CommandDuplicateWindow, Retention: jetstream.WorkQueuePolicy},
		{Name: events.StreamEvents, Subjects: []string{events.EventRoot + ".>"}, Storage: jetstream.FileStorage,
			MaxAge: 30 * 24 * time.Hour, Duplicates: 10 * time.Minute, Retention: jetstream.LimitsPolicy},
	}
}

// EnsureStreams creates or updates every stream; safe to call from many
// instances at once. A stream found with another retention (which
// nats-server cannot change) fails with one ErrRetentionChanged saying what
// to do.
func EnsureStreams(ctx context.Context, js jetstream.JetStream) error {
	for _, cfg := range StreamConfigs() {
		if err := checkRetention(ctx, js, cfg); err != nil {
			return err
		}
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("stream %s: %w", cfg.Name, err)
		}
	}
	return nil
}
