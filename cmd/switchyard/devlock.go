package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// devLock is an exclusive lock on <data-dir>/dev.lock, held for the life of
// a dev process so that a second dev on the same data dir cannot take over
// (and then stop) the first one's PostgreSQL, NATS store and dev.json. It is
// a flock: the kernel releases it when the process dies, however it dies,
// so a killed dev never blocks the next one. The file holds the holder's pid
// for the refusal message; it is opened close-on-exec, so that the
// PostgreSQL server dev starts does not inherit (and keep) the lock.
type devLock struct{ f *os.File }

// lockDataDir takes the lock or says at once who holds it. It writes
// nothing before it holds the lock.
func lockDataDir(dir string) (*devLock, error) {
	path := filepath.Join(dir, "dev.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another switchyard dev%s is running on data dir %s: stop it first, or give this one another --data-dir",
				holder(path), dir)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &devLock{f: f}, nil
}

// holder names the pid written in the lock file, when there is one.
func holder(path string) string {
	b, err := os.ReadFile(path)
	if pid := strings.TrimSpace(string(b)); err == nil && pid != "" {
		return " (pid " + pid + ")"
	}
	return ""
}

// release unlocks; closing the file drops the flock.
func (l *devLock) release() { _ = l.f.Close() }
