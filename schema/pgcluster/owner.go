package pgcluster

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// runAs is the OS user the server runs as: nil means the current user.
type runAs struct {
	uid, gid uint32
	home     string
}

// serverUser returns the postgres OS user when running as root (PostgreSQL
// refuses to run as root), or nil.
func serverUser() (*runAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgcluster: running as root needs an OS user \"postgres\" to run the server: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("pgcluster: bad uid/gid %q/%q for user postgres", u.Uid, u.Gid)
	}
	return &runAs{uid: uint32(uid), gid: uint32(gid), home: u.HomeDir}, nil
}

func (r *runAs) credential() *syscall.Credential {
	if r == nil {
		return nil
	}
	return &syscall.Credential{Uid: r.uid, Gid: r.gid}
}

// handOver makes dirs (and everything in them) owned by the server user
// and every parent of them traversable by it.
func (r *runAs) handOver(dirs ...string) error {
	if r == nil {
		return nil
	}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(path, int(r.uid), int(r.gid))
		})
		if err != nil {
			return fmt.Errorf("pgcluster: chown %s to postgres: %w", dir, err)
		}
		if err := makeTraversable(filepath.Dir(dir)); err != nil {
			return err
		}
	}
	return nil
}

// makeTraversable adds o+x to dir and its parents where missing, so that a
// non-owner can reach the data directory (it cannot list them).
func makeTraversable(dir string) error {
	for {
		fi, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(dir, fi.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("pgcluster: make %s traversable: %w", dir, err)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
}
