package paycode

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/simulator"
)

const shortTimeout = 200 * time.Millisecond

// Calls whose outcome cannot be known are KindUnknown; a refused connection
// is KindFailed. The act-then-fail faults really create the code.
func TestUnknownOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fault   simulator.Fault
		want    provider.Kind
		created bool
	}{
		{"delay past time-out", simulator.Fault{Path: "/code/create", DelayMS: 2000}, provider.KindUnknown, true},
		{"dropped answer", simulator.Fault{Path: "/code/create", Drop: true}, provider.KindUnknown, true},
		{"lost request", simulator.Fault{Path: "/code/create", Lose: true}, provider.KindUnknown, false},
		{"504", simulator.Fault{Path: "/code/create", Status: 504}, provider.KindUnknown, false},
		{"503", simulator.Fault{Path: "/code/create", Status: 503}, provider.KindUnknown, false},
		{"502", simulator.Fault{Path: "/code/create", Status: 502}, provider.KindUnknown, false},
		{"512", simulator.Fault{Path: "/code/create", Status: 512}, provider.KindFailed, false},
		{"400", simulator.Fault{Path: "/code/create", Status: 400}, provider.KindDeclined, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			c := b.clientFor(t, "merchant1", "secret1", shortTimeout)
			b.sim.Harness().Arm(tt.fault)
			_, err := c.Create(context.Background(), basicRequest())
			if got := provider.KindOf(err); got != tt.want {
				t.Fatalf("kind %s, want %s (%v)", got, tt.want, err)
			}
			if n := countCodes(b); (n == 1) != tt.created {
				t.Fatalf("%d codes, created=%v", n, tt.created)
			}
		})
	}
}

func countCodes(b *bundle) int {
	b.sim.mu.Lock()
	defer b.sim.mu.Unlock()
	return len(b.sim.codes)
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := NewClient(Config{BaseURL: "http://" + addr, Username: "merchant1", Password: "secret1", Timeout: shortTimeout})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Create(context.Background(), basicRequest())
	if !provider.IsFailed(err) {
		t.Fatalf("want failed, got %v", err)
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
