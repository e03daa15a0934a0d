package pgcluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestErrNoBinariesIsOneLine(t *testing.T) {
	t.Parallel()
	msg := ErrNoBinaries.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "apt-get install") || !strings.Contains(msg, "--database-url") {
		t.Errorf("ErrNoBinaries = %q, want one line naming both fixes", msg)
	}
}

func TestHighestVersionDir(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, v := range []string{"9.6", "13", "15", "16"} {
		dir := filepath.Join(root, v, "bin")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if v == "16" {
			continue // no binaries: not a candidate
		}
		for _, name := range []string{"initdb", "pg_ctl"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, want := highestVersionDir(root), filepath.Join(root, "15", "bin"); got != want {
		t.Errorf("highestVersionDir = %q, want %q", got, want)
	}
	if got := highestVersionDir(filepath.Join(root, "missing")); got != "" {
		t.Errorf("missing root: %q, want empty", got)
	}
}

func TestSocketDir(t *testing.T) {
	t.Parallel()
	short := "/tmp/x/pg"
	if got := socketDir(short); got != short {
		t.Errorf("short dir: socket in %q, want %q", got, short)
	}
	long := "/tmp/" + strings.Repeat("d", 120)
	got := socketDir(long)
	if !strings.HasPrefix(got, "/tmp/switchyard-pg-") || len(got)+len("/.s.PGSQL.65535") > maxSocketPath {
		t.Errorf("long dir: socket dir %q", got)
	}
	if socketDir(long) != got {
		t.Error("socket dir for a long path is not stable")
	}
}

func TestWriteConfigQuotesAndOverrides(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "postgresql.conf"), []byte("# initdb\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{"fsync": "off", "application_name": "it's", "port": "1"}
	for range 2 { // twice: the include line is added once
		if err := writeConfig(dir, 5433, dir, settings); err != nil {
			t.Fatal(err)
		}
	}
	conf, _ := os.ReadFile(filepath.Join(dir, confFile))
	for _, want := range []string{"fsync = 'off'", "application_name = 'it''s'", "port = '5433'", "listen_addresses = '127.0.0.1'"} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("%s lacks %q:\n%s", confFile, want, conf)
		}
	}
	main, _ := os.ReadFile(filepath.Join(dir, "postgresql.conf"))
	if n := strings.Count(string(main), includeLine); n != 1 {
		t.Errorf("include line appears %d times in postgresql.conf", n)
	}
}
