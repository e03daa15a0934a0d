package pgcluster

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries is returned by FindBinaries (and Start) when no PostgreSQL
// server binaries are installed.
var ErrNoBinaries = errors.New(`no PostgreSQL server binaries found (initdb, pg_ctl): install them with "apt-get install -y postgresql" or pass --database-url`)

// FindBinaries returns the directory holding initdb and pg_ctl: from PATH,
// then `pg_config --bindir`, then the highest /usr/lib/postgresql/*/bin.
func FindBinaries() (bindir string, err error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if dir := filepath.Dir(p); hasServer(dir) {
			return dir, nil
		}
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); hasServer(dir) {
			return dir, nil
		}
	}
	if dir := highestVersionDir("/usr/lib/postgresql"); dir != "" {
		return dir, nil
	}
	return "", ErrNoBinaries
}

// hasServer reports whether dir holds executable initdb and pg_ctl.
func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// highestVersionDir returns root/<highest numeric version>/bin holding the
// server binaries, or "".
func highestVersionDir(root string) string {
	entries, err := os.ReadDir(root)
	if err != nil {
		return ""
	}
	var versions []float64
	byVersion := map[float64]string{}
	for _, e := range entries {
		v, err := strconv.ParseFloat(e.Name(), 64)
		dir := filepath.Join(root, e.Name(), "bin")
		if err != nil || !hasServer(dir) {
			continue
		}
		versions = append(versions, v)
		byVersion[v] = dir
	}
	if len(versions) == 0 {
		return ""
	}
	sort.Float64s(versions)
	return byVersion[versions[len(versions)-1]]
}
