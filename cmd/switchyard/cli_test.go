//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/schema/schematest"
)

// cliResult is what one run of the binary printed and how it exited.
type cliResult struct {
	stdout, stderr string
	code           int
}

// runCLI runs the switchyard binary with args to its end (30 s at most).
func runCLI(t *testing.T, bin string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("switchyard %s: still running after 30s", strings.Join(args, " "))
	}
	r := cliResult{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestCLI drives the operator CLI through its real binary against a real
// `switchyard dev`: tx get (by id and by reference, table and JSON), tx
// list, tx timeline, events tail (filtered, JSON and lines), and the exit
// codes: 0 ok, 1 failed (one clear line), 2 usage.
func TestCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs dev")
	}
	bin := buildSwitchyard(t)
	dataDir := t.TempDir()
	dev := startProc(t, "dev", bin, "dev", "--data-dir", dataDir, "--database-url", schematest.NewDB(t),
		"--nats-port", "-1", "--http-addr", "127.0.0.1:0", "--sim-addr", "127.0.0.1:0")
	info := waitDevInfo(t, dataDir, dev)
	dd := []string{"--dev-dir", dataDir}

	tailJSON := startProc(t, "tail-json", bin, append([]string{"events", "tail", "--json"}, dd...)...)
	tailAuth := startProc(t, "tail-authorized", bin, append([]string{"events", "tail", "--type", "charge.authorized"}, dd...)...)
	for _, p := range []*proc{tailAuth, tailJSON} {
		waitFor(t, 15*time.Second, p.name+" to follow", p, func() (bool, string) {
			return strings.Contains(p.out.String(), "following the events"), p.out.String()
		})
	}

	sink := newReceiver(t, nil)
	registerEndpoint(t, info, sink.srv.URL+"/hooks")
	id := cliCreateCharge(t, info, "cli-1")
	waitFor(t, 15*time.Second, "the authorized event in the tail", tailAuth, func() (bool, string) {
		return strings.Contains(tailAuth.out.String(), id), tailAuth.out.String()
	})
	if s := tailAuth.out.String(); strings.Contains(s, "charge.pending") || !strings.Contains(s, "charge.authorized") {
		t.Errorf("tail --type charge.authorized printed:\n%s", s)
	}
	waitFor(t, 15*time.Second, "both events in the JSON tail", tailJSON, func() (bool, string) {
		s := tailJSON.out.String()
		return strings.Count(s, `"subject":"`+id+`"`) >= 2, s
	})
	for _, line := range strings.Split(strings.TrimSpace(tailJSON.out.String()), "\n") {
		if strings.HasPrefix(line, "following the events") { // the banner, on stderr
			continue
		}
		var ev events.Event
		if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.ID == "" {
			t.Errorf("tail --json line is not an event: %q (%v)", line, err)
		}
	}

	r := runCLI(t, bin, append([]string{"tx", "get", id}, dd...)...)
	if r.code != 0 || !strings.Contains(r.stdout, "authorized") || !strings.Contains(r.stdout, "10.00 ZAR") {
		t.Errorf("tx get: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, bin, append([]string{"tx", "get", "cli-1", "--json"}, dd...)...)
	var tx events.Transaction
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &tx) != nil || tx.ID != id {
		t.Errorf("tx get by reference --json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, bin, append([]string{"tx", "list", "--type", "charge", "--status", "authorized"}, dd...)...)
	if r.code != 0 || !strings.Contains(r.stdout, id) || !strings.HasPrefix(r.stdout, "ID") {
		t.Errorf("tx list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, bin, append([]string{"tx", "timeline", id}, dd...)...)
	for _, want := range []string{"charge.create cli-1 accepted", "onoconnect charge #1 → ok", "pending → authorized", "charge.authorized #2"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("tx timeline lacks %q: exit %d\n%s%s", want, r.code, r.stdout, r.stderr)
		}
	}

	r = runCLI(t, bin, append([]string{"webhooks", "list"}, dd...)...)
	if r.code != 0 || !strings.Contains(r.stdout, sink.srv.URL+"/hooks") || !strings.Contains(r.stdout, "charge.authorized") {
		t.Errorf("webhooks list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	waitFor(t, 15*time.Second, "the delivery", dev, func() (bool, string) {
		r = runCLI(t, bin, append([]string{"webhooks", "deliveries", "--status", "delivered"}, dd...)...)
		return strings.Contains(r.stdout, "charge.authorized"), r.stdout + r.stderr
	})
	r = runCLI(t, bin, append([]string{"webhooks", "deliveries", "--json"}, dd...)...)
	var ds []map[string]any
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &ds) != nil || len(ds) != 1 {
		t.Errorf("webhooks deliveries --json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var eps struct{ Data []map[string]any }
	r = runCLI(t, bin, append([]string{"webhooks", "list", "--json"}, dd...)...)
	if json.Unmarshal([]byte(r.stdout), &eps) != nil || len(eps.Data) != 1 {
		t.Fatalf("webhooks list --json: %s", r.stdout)
	}
	r = runCLI(t, bin, append([]string{"webhooks", "replay", "--endpoint", eps.Data[0]["id"].(string), "--since", "1h"}, dd...)...)
	if r.code != 0 || !strings.Contains(r.stderr, "replaying 0 failed deliveries") {
		t.Errorf("webhooks replay: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	r = runCLI(t, bin, append([]string{"tx", "get", "00000000-0000-0000-0000-000000000000"}, dd...)...)
	if r.code != 1 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "404") {
		t.Errorf("tx get of an unknown id: exit %d, stderr %q (want 1 and one line)", r.code, r.stderr)
	}
	for _, args := range [][]string{{"tx"}, {"tx", "get"}, {"tx", "frobnicate"}, {"tx", "list", "--bogus"}, {"events", "tail", "--type", "Charge"}, {"nope"},
		{"webhooks", "replay"}, {"webhooks", "replay", "--endpoint", "x", "--since", "yesterday"}} {
		if r := runCLI(t, bin, append(args, dd...)...); r.code != 2 {
			t.Errorf("switchyard %s: exit %d, want 2 (usage)\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	if r := runCLI(t, bin, "tx", "list", "--dev-dir", t.TempDir()); r.code != 2 || !strings.Contains(r.stderr, "--api-key") {
		t.Errorf("tx list without dev.json: exit %d, %q", r.code, r.stderr)
	}
	dev.checkNoRace(t)
}

// cliCreateCharge creates an ono//connect charge over HTTP as dev's demo
// merchant and waits for it to be authorized.
func cliCreateCharge(t *testing.T, info devInfo, ref string) string {
	t.Helper()
	body, _ := json.Marshal(chargeData(ref, "10.00"))
	req, _ := http.NewRequest("POST", info.HTTP+"/v1/charges", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+info.APIKey)
	req.Header.Set("Idempotency-Key", ref)
	req.Header.Set("Prefer", "wait=10")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tx events.Transaction
	if err := json.NewDecoder(resp.Body).Decode(&tx); err != nil || tx.Status != events.StatusAuthorized {
		t.Fatalf("charge: %d %+v %v", resp.StatusCode, tx, err)
	}
	return tx.ID
}
