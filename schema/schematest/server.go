package schematest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/switchyard/switchyard/schema"
	"github.com/switchyard/switchyard/schema/pgcluster"
)

// testSettings trade durability for speed: the cluster is thrown away.
var testSettings = map[string]string{
	"fsync":              "off",
	"synchronous_commit": "off",
	"full_page_writes":   "off",
	"shared_buffers":     "32MB",
}

// setup starts (or connects to) the server and builds the migrated template.
func setup() (*server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	s := &server{template: fmt.Sprintf("switchyard_tmpl_%d_%s", os.Getpid(), randomHex(4))}
	if env := os.Getenv(EnvDatabaseURL); env != "" {
		if _, err := url.Parse(env); err != nil {
			return nil, fmt.Errorf("%s is not a URL: %w", EnvDatabaseURL, err)
		}
		s.adminURL = env
	} else if err := s.startCluster(ctx); err != nil {
		return nil, err
	}
	if err := s.buildTemplate(ctx); err != nil {
		return nil, errors.Join(err, s.teardown())
	}
	return s, nil
}

func (s *server) startCluster(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "switchyard-test-pg-")
	if err != nil {
		return err
	}
	s.dir = dir
	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: filepath.Join(dir, "data"), Settings: testSettings})
	if err != nil {
		return errors.Join(err, os.RemoveAll(dir))
	}
	s.cluster, s.adminURL = c, c.URL("postgres")
	if err := startWatchdog(dir, c.Dir()); err != nil {
		return errors.Join(err, s.teardown())
	}
	return nil
}

func (s *server) buildTemplate(ctx context.Context) error {
	if err := adminExec(ctx, s.adminURL, "CREATE DATABASE "+s.template); err != nil {
		return fmt.Errorf("create template database: %w", err)
	}
	if _, err := schema.Migrate(ctx, withDatabase(s.adminURL, s.template), nil); err != nil {
		return fmt.Errorf("migrate template database: %w", err)
	}
	return nil
}

// teardown drops the template on a shared server, or stops and removes the
// throwaway cluster.
func (s *server) teardown() error {
	if s.cluster == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return adminExec(ctx, s.adminURL, "DROP DATABASE IF EXISTS "+s.template+" WITH (FORCE)")
	}
	err := s.cluster.Stop()
	return errors.Join(err, os.RemoveAll(s.dir))
}
