package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// Cluster is a running local PostgreSQL server.
type Cluster struct {
	bindir    string
	dir       string
	port      int
	socketDir string
	user      *runAs
	log       *slog.Logger
}

// Start initialises (when needed) and starts the cluster in opts.Dir, or
// reuses the server already running there, and makes sure the database
// "switchyard" exists. It returns once the server accepts connections.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	bindir, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	user, err := serverUser()
	if err != nil {
		return nil, err
	}
	c := &Cluster{bindir: bindir, dir: opts.Dir, socketDir: socketDir(opts.Dir), user: user, log: opts.Log}
	if err := c.startOrReuse(ctx, opts); err != nil {
		return nil, err
	}
	if err := c.ensureDatabase(ctx, "switchyard"); err != nil {
		return nil, err
	}
	return c, nil
}

// startOrReuse reuses a server already running on the directory or starts
// one. A server found running may be on its way down (a previous run still
// shutting down): when it stops accepting connections and exits, it is
// started again rather than waited for in vain.
func (c *Cluster) startOrReuse(ctx context.Context, opts Options) error {
	for attempt := 0; ; attempt++ {
		port := c.runningPort(ctx)
		if port == 0 {
			if err := c.initIfNeeded(ctx, opts.Settings); err != nil {
				return err
			}
			if err := c.start(ctx, opts); err != nil {
				return err
			}
			return c.waitReady(ctx)
		}
		c.port = port
		c.log.Info("postgres already running, reusing it", "dir", c.dir, "port", port)
		err := c.waitReady(ctx)
		if !errors.Is(err, errServerGone) || attempt > 0 {
			return err
		}
		c.log.Info("the running postgres shut down; starting it again", "dir", c.dir)
	}
}

// URL returns the connection URL of database db on this cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Port returns the TCP port the server listens on (on 127.0.0.1).
func (c *Cluster) Port() int { return c.port }

// Dir returns the data directory.
func (c *Cluster) Dir() string { return c.dir }

// Stop shuts the server down (pg_ctl stop -m fast) and waits for it.
func (c *Cluster) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := c.command(ctx, "pg_ctl", "stop", "-D", c.dir, "-m", "fast", "-w"); err != nil {
		return err
	}
	c.log.Info("postgres stopped", "dir", c.dir, "port", c.port)
	return nil
}

// runningPort returns the port of a server already running on c.dir, or 0.
func (c *Cluster) runningPort(ctx context.Context) int {
	if _, err := os.Stat(filepath.Join(c.dir, "PG_VERSION")); err != nil {
		return 0
	}
	if _, err := c.command(ctx, "pg_ctl", "status", "-D", c.dir); err != nil {
		return 0 // exit 3: not running (a stale postmaster.pid included)
	}
	return runningPort(c.dir)
}

func (c *Cluster) initIfNeeded(ctx context.Context, settings map[string]string) error {
	if _, err := os.Stat(filepath.Join(c.dir, "PG_VERSION")); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := c.user.handOver(c.dir); err != nil {
		return err
	}
	args := []string{"-D", c.dir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"}
	if settings["fsync"] == "off" {
		args = append(args, "--no-sync")
	}
	start := time.Now()
	if _, err := c.command(ctx, "initdb", args...); err != nil {
		return err
	}
	c.log.Debug("postgres data directory initialised", "dir", c.dir, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// start writes the configuration and runs pg_ctl start, picking another
// free port when a freshly picked one was taken in the meantime.
func (c *Cluster) start(ctx context.Context, opts Options) error {
	port, picked := opts.Port, false
	if port == 0 {
		port = readPort(c.dir)
	}
	for attempt := 1; ; attempt++ {
		if port == 0 {
			p, err := freePort()
			if err != nil {
				return err
			}
			port, picked = p, true
		}
		err := c.startOn(ctx, port, opts.Settings)
		if err == nil {
			c.port = port
			c.log.Info("postgres started", "dir", c.dir, "port", port)
			return nil
		}
		if !picked || attempt == 3 || !portTaken(c.dir) {
			return err
		}
		port = 0
	}
}

func (c *Cluster) startOn(ctx context.Context, port int, settings map[string]string) error {
	if err := os.MkdirAll(c.socketDir, 0o700); err != nil {
		return fmt.Errorf("pgcluster: socket dir: %w", err)
	}
	if err := writeConfig(c.dir, port, c.socketDir, settings); err != nil {
		return err
	}
	if err := writePort(c.dir, port); err != nil {
		return fmt.Errorf("pgcluster: remember port: %w", err)
	}
	if err := c.user.handOver(c.dir, c.socketDir); err != nil {
		return err
	}
	logFile := filepath.Join(c.dir, "postgres.log")
	_, err := c.command(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", c.dir, "-l", logFile)
	if err != nil {
		return fmt.Errorf("%w\n%s: %s", err, logFile, tail(logFile, 5))
	}
	return nil
}
