package schematest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
)

// startWatchdog starts a detached shell that, once this test binary has
// exited, shuts the throwaway cluster down (SIGQUIT: immediate shutdown)
// and removes its directory. It matters only when the binary dies without
// running Main's teardown (a -timeout panic, a kill); after a clean exit it
// finds nothing left to do. The shell runs as the current user, which may
// signal the server also when the server runs as "postgres" under root.
func startWatchdog(tmpDir, dataDir string) error {
	pidFile := filepath.Join(dataDir, "postmaster.pid")
	script := `while kill -0 "$1" 2>/dev/null; do sleep 1; done
if [ -f "$2" ]; then pid=$(head -n 1 "$2"); [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null; sleep 2; fi
rm -rf "$3"`
	cmd := exec.Command("/bin/sh", "-c", script, "schematest-watchdog",
		strconv.Itoa(os.Getpid()), pidFile, tmpDir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // outlives us, not our signals
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start watchdog: %w", err)
	}
	return cmd.Process.Release()
}
