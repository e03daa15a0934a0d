package pgcluster

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	confFile    = "switchyard.conf"
	portFile    = "switchyard.port"
	includeLine = "include_if_exists = '" + confFile + "'"
	// maxSocketPath is sizeof(sockaddr_un.sun_path) minus the terminating NUL.
	maxSocketPath = 107
)

// writeConfig rewrites Dir/switchyard.conf with settings plus the fixed
// listen address, port and socket directory, and makes sure postgresql.conf
// includes it.
func writeConfig(dir string, port int, socketDir string, settings map[string]string) error {
	all := map[string]string{}
	for k, v := range settings {
		all[k] = v
	}
	all["listen_addresses"] = "127.0.0.1"
	all["port"] = strconv.Itoa(port)
	all["unix_socket_directories"] = socketDir
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("# Written by switchyard pgcluster on every start; edits are lost.\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s = '%s'\n", k, strings.ReplaceAll(all[k], "'", "''"))
	}
	if err := os.WriteFile(filepath.Join(dir, confFile), []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("pgcluster: write %s: %w", confFile, err)
	}
	return ensureInclude(filepath.Join(dir, "postgresql.conf"))
}

func ensureInclude(path string) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("pgcluster: read postgresql.conf: %w", err)
	}
	if bytes.Contains(body, []byte(includeLine)) {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("pgcluster: open postgresql.conf: %w", err)
	}
	_, err = fmt.Fprintf(f, "\n%s\n", includeLine)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// socketDir returns dir when its socket path fits the unix limit, otherwise
// a short directory under /tmp derived from dir (stable across restarts).
func socketDir(dir string) string {
	if len(dir)+len("/.s.PGSQL.65535") <= maxSocketPath {
		return dir
	}
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join("/tmp", "switchyard-pg-"+hex.EncodeToString(sum[:6]))
}

// readPort returns the port remembered in dir, or 0.
func readPort(dir string) int {
	body, err := os.ReadFile(filepath.Join(dir, portFile))
	if err != nil {
		return 0
	}
	p, err := strconv.Atoi(strings.TrimSpace(string(body)))
	if err != nil {
		return 0
	}
	return p
}

func writePort(dir string, port int) error {
	return os.WriteFile(filepath.Join(dir, portFile), []byte(strconv.Itoa(port)+"\n"), 0o600)
}

// runningPort reads the port line (4th) of a live server's postmaster.pid.
func runningPort(dir string) int {
	body, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	lines := strings.Split(string(body), "\n")
	if len(lines) < 4 {
		return 0
	}
	p, _ := strconv.Atoi(strings.TrimSpace(lines[3]))
	return p
}
