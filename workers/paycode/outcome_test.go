package paycode

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/provider/providertest"
	"github.com/switchyard/switchyard/workers/simulator"
)

const shortTimeout = 200 * time.Millisecond

// TestCreateOutcomes runs the shared outcome suite on a code create: the
// provider's 400 is a rejection, its general system errors 500 and 512 are
// failures.
func TestCreateOutcomes(t *testing.T) {
	t.Parallel()
	providertest.RunOutcomeSuite(t, providertest.Case{
		Path: "/code/create", Timeout: shortTimeout,
		Statuses: map[int]provider.Kind{400: provider.KindDeclined, 512: provider.KindFailed},
		Setup: func(t *testing.T) providertest.Rig {
			b := setup(t)
			c := b.clientFor(t, "merchant1", "secret1", shortTimeout)
			return providertest.Rig{
				Harness: b.sim.Harness(),
				Call:    func(ctx context.Context) error { _, err := c.Create(ctx, basicRequest()); return err },
				Landed:  func(*testing.T) bool { return countCodes(b) == 1 },
			}
		},
		Refused: func(ctx context.Context, base string) error {
			c, err := refusedClient(base)
			if err != nil {
				return err
			}
			_, err = c.Create(ctx, basicRequest())
			return err
		},
	})
}

func refusedClient(base string) (*Client, error) {
	return NewClient(Config{BaseURL: base, Username: "merchant1", Password: "secret1", Timeout: shortTimeout})
}

func countCodes(b *bundle) int { return b.sim.CodeCount() }

func TestBlockRefusedIsFailed(t *testing.T) {
	t.Parallel()
	c, err := refusedClient(providertest.RefusedURL(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Block(context.Background(), "8227541409"); !provider.IsFailed(err) {
		t.Fatalf("want failed, got %v", err)
	}
}

// The credentials never reach a log line, an error or the request log.
func TestCredentialsNeverLogged(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var buf bytes.Buffer
	const pass = "s3cr3t-Pa55"
	cfg := Config{BaseURL: b.srv.URL, Username: "merchant1", Password: pass, Timeout: shortTimeout,
		Logger: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Create(context.Background(), basicRequest()) // 403: wrong password
	b.sim.Harness().Arm(simulator.Fault{Drop: true})
	_, err2 := c.Get(context.Background(), "8227541409")
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "cfg", cfg)
	fmt.Fprintf(&buf, "%v %+v %#v %s %v %v", cfg, cfg, cfg, cfg.String(), err, err2)
	for _, e := range b.sim.Harness().Log().Entries() {
		fmt.Fprintf(&buf, "%+v", e)
	}
	basic := base64.StdEncoding.EncodeToString([]byte("merchant1:" + pass))
	if s := buf.String(); strings.Contains(s, pass) || strings.Contains(s, basic) {
		t.Fatalf("credentials leaked: %s", s)
	}
	if !strings.Contains(buf.String(), "paycode call") {
		t.Fatal("no debug line logged")
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{
		{Username: "u", Password: "p"},
		{BaseURL: "127.0.0.1:9000", Username: "u", Password: "p"},
		{BaseURL: "http://127.0.0.1:9000/codes", Password: "p"},
		{BaseURL: "http://127.0.0.1:9000/codes", Username: "u"},
	} {
		if _, err := NewClient(cfg); err == nil {
			t.Errorf("accepted %v", cfg)
		}
	}
	c, err := NewClient(Config{BaseURL: "http://127.0.0.1:9000/codes", Username: "u", Password: "p"})
	if err != nil || c.Caller().Timeout != provider.DefaultTimeout {
		t.Fatalf("defaults: %v", err)
	}
}
