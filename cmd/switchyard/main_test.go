package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// TestHelpExitsZero: --help and -h on every subcommand print its usage and
// succeed (main exits 0), and no flag shows a broken placeholder.
func TestHelpExitsZero(t *testing.T) {
	for _, c := range commands() {
		for _, h := range []string{"--help", "-h"} {
			out, err := captureStderr(t, func() error { return run(t.Context(), []string{c.name, h}, io.Discard) })
			if err != nil {
				t.Errorf("%s %s: %v", c.name, h, err)
			}
			if !strings.Contains(out, "usage") && !strings.Contains(out, "Usage") {
				t.Errorf("%s %s printed no usage:\n%s", c.name, h, out)
			}
			checkPlaceholders(t, c.name, out)
		}
	}
}

// checkPlaceholders: a flag line of the usage is "-name" or "-name type";
// a word in backquotes in a usage string becomes the placeholder instead.
func checkPlaceholders(t *testing.T, cmd, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "  -") {
			continue
		}
		if f := strings.Fields(line); len(f) > 2 {
			t.Errorf("%s: broken placeholder in %q", cmd, line)
		}
	}
}

// captureStderr runs fn with os.Stderr (where flag sets print their usage)
// redirected, and returns what was written there.
func captureStderr(t *testing.T, fn func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	done := make(chan string)
	go func() {
		var b bytes.Buffer
		_, _ = io.Copy(&b, r)
		done <- b.String()
	}()
	err = fn()
	os.Stderr = saved
	_ = w.Close()
	return <-done, err
}
