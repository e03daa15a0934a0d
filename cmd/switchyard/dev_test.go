//go:build linux

package main

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/schema/schematest"
)

// devArgs are the flags of a dev on dataDir with ports picked by the
// servers themselves and the test's own database.
func devArgs(dataDir, dbURL string) []string {
	return []string{"dev", "--data-dir", dataDir, "--database-url", dbURL,
		"--nats-port", "-1", "--http-addr", "127.0.0.1:0", "--sim-addr", "127.0.0.1:0"}
}

// TestSecondDevRefuses: a second dev on a data dir in use refuses at once
// with one line naming the running pid and the data dir, and touches
// nothing: the first still serves and keeps its dev.json. Once the first is
// killed, the lock is gone and a new dev starts.
func TestSecondDevRefuses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs dev as separate processes")
	}
	dbURL := schematest.NewDB(t)
	bin := buildSwitchyard(t)
	dataDir := t.TempDir()
	dev1 := startProc(t, "dev#1", bin, devArgs(dataDir, dbURL)...)
	info := waitDevInfo(t, dataDir, dev1)

	dev2 := startProc(t, "dev#2", bin, devArgs(dataDir, dbURL)...)
	select {
	case <-dev2.done:
	case <-time.After(5 * time.Second):
		t.Fatalf("the second dev is still running after 5s; output:\n%s", dev2.out.String())
	}
	if dev2.err == nil {
		t.Error("the second dev exited 0")
	}
	out := strings.TrimSpace(dev2.out.String())
	pid := strconv.Itoa(dev1.cmd.Process.Pid)
	if strings.Contains(out, "\n") || !strings.Contains(out, pid) || !strings.Contains(out, dataDir) {
		t.Errorf("want one line naming pid %s and %s, got:\n%s", pid, dataDir, out)
	}
	if again := waitDevInfo(t, dataDir, dev1); again != info {
		t.Errorf("dev.json changed: %+v → %+v", info, again)
	}
	resp, err := http.Get(info.HTTP + "/healthz")
	if err != nil {
		t.Fatalf("the first dev stopped serving: %v", err)
	}
	_ = resp.Body.Close()

	dev1.kill(t)
	dev3 := startProc(t, "dev#3", bin, devArgs(dataDir, dbURL)...)
	waitDevInfo(t, dataDir, dev3)
}

// TestDevBusyPort: a listen address already taken is refused at once with
// the flag to change, before anything is started.
func TestDevBusyPort(t *testing.T) {
	if testing.Short() {
		t.Skip("starts dev")
	}
	dbURL := schematest.NewDB(t)
	for _, flag := range []string{"--nats-port", "--http-addr", "--sim-addr"} {
		t.Run(flag, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
			args := devArgs(t.TempDir(), dbURL)
			for i, a := range args {
				if a == flag {
					args[i+1] = map[bool]string{true: port, false: ln.Addr().String()}[flag == "--nats-port"]
				}
			}
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			start := time.Now()
			err = run(ctx, args, nil)
			if err == nil {
				t.Fatal("dev ran on a busy port")
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %v to fail", took)
			}
			if msg := err.Error(); !strings.Contains(msg, flag) || !strings.Contains(msg, port) {
				t.Errorf("error names neither %s nor port %s: %v", flag, port, msg)
			}
		})
	}
}
