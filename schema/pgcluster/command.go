package pgcluster

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// command runs one of the server binaries (as the server user when root)
// and returns its combined output.
func (c *Cluster) command(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bindir, name), args...)
	cmd.Dir = "/" // the caller's working directory may be closed to the server user
	cmd.Env = c.env()
	if cred := c.user.credential(); cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// pg_ctl's postmaster keeps no handle on our pipes (-l redirects it), but
	// never hang on a child that does.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	text := strings.TrimSpace(out.String())
	if err != nil {
		return text, fmt.Errorf("pgcluster: %s %s: %w: %s", name, strings.Join(args, " "), err, text)
	}
	return text, nil
}

func (c *Cluster) env() []string {
	env := []string{"LC_ALL=C", "PATH=" + os.Getenv("PATH")}
	if c.user != nil {
		env = append(env, "HOME="+c.user.home, "USER=postgres")
	} else if home := os.Getenv("HOME"); home != "" {
		env = append(env, "HOME="+home)
	}
	return env
}
