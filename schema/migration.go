package schema

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"time"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one numbered schema change and, when known, when it was applied.
type Migration struct {
	Version   int
	Name      string
	AppliedAt time.Time // zero when not applied
	Embedded  bool      // the binary carries this migration's SQL
	sql       string
}

// Applied reports whether the migration is recorded in schema_migrations.
func (m Migration) Applied() bool { return !m.AppliedAt.IsZero() }

var fileNameRE = regexp.MustCompile(`^(\d+)_([^/]+)\.sql$`)

// loadMigrations returns the embedded migrations ordered by version.
func loadMigrations() ([]Migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("schema: list migrations: %w", err)
	}
	seen := map[int]string{}
	out := make([]Migration, 0, len(names))
	for _, name := range names {
		m, err := parseFileName(path.Base(name))
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[m.Version]; dup {
			return nil, fmt.Errorf("schema: migrations %s and %s share version %d", prev, name, m.Version)
		}
		seen[m.Version] = name
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("schema: read %s: %w", name, err)
		}
		m.sql = string(body)
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// parseFileName turns "0007_outbox.sql" into version 7, name "outbox".
func parseFileName(base string) (Migration, error) {
	sub := fileNameRE.FindStringSubmatch(base)
	if sub == nil {
		return Migration{}, fmt.Errorf("schema: migration file %q is not named NNNN_name.sql", base)
	}
	v, err := strconv.Atoi(sub[1])
	if err != nil || v <= 0 {
		return Migration{}, fmt.Errorf("schema: migration file %q: version must be a positive number", base)
	}
	return Migration{Version: v, Name: sub[2], Embedded: true}, nil
}
