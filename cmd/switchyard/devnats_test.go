//go:build linux

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/switchyard/switchyard/schema/schematest"
)

// TestDevMerchantOverNATS: dev's NATS runs with auth callout: the demo
// merchant connects with its id and API key and reads its events through
// its consumer; a connection without credentials is refused; the bench
// drives the demo merchant through it.
func TestDevMerchantOverNATS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs dev as a separate process")
	}
	dataDir := t.TempDir()
	dev := startProc(t, "dev", buildSwitchyard(t), devArgs(dataDir, schematest.NewDB(t))...)
	info := waitDevInfo(t, dataDir, dev)
	if nc, err := nats.Connect(info.NATSURL); err == nil {
		nc.Close()
		t.Fatal("dev's NATS accepted a connection without credentials")
	}
	ev, err := merchantProgram(t.Context(), info.NATSURL, info.MerchantID, info.APIKey)
	if err != nil {
		t.Fatal(err)
	}
	if ev.MerchantID != info.MerchantID || !strings.HasPrefix(ev.Type, "charge.") {
		t.Fatalf("event %+v", ev)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := runBench(ctx, []string{"--dev-dir", dataDir, "-n", "4", "-c", "2", "--warmup", "0"}); err != nil {
		t.Fatalf("bench as the demo merchant: %v", err)
	}
}
