package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/orchestrator/tracing"
)

// TestLogFormat: logs are JSON lines unless --log-format text; a record
// logged with a span's context has its trace_id either way; another format
// is a usage error.
func TestLogFormat(t *testing.T) {
	ctx := tracing.WithTraceParent(context.Background(), traceParent)
	for _, tc := range []struct {
		args []string
		json bool
	}{
		{nil, true},
		{[]string{"--log-format", "json"}, true},
		{[]string{"--log-format", "text"}, false},
	} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		var c commonFlags
		c.register(fs, false)
		if err := parseFlags(fs, tc.args); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		var buf bytes.Buffer
		newLoggerTo(&buf, c.logLevel, c.logFormat).InfoContext(ctx, "hello", "transaction", "t-1")
		line := strings.TrimSpace(buf.String())
		var m map[string]any
		isJSON := json.Unmarshal([]byte(line), &m) == nil
		if isJSON != tc.json {
			t.Errorf("%v: %q", tc.args, line)
		}
		if !strings.Contains(line, traceX) || !strings.Contains(line, "t-1") {
			t.Errorf("%v: no trace id or transaction in %q", tc.args, line)
		}
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c commonFlags
	c.register(fs, false)
	if err := parseFlags(fs, []string{"--log-format", "xml"}); err == nil {
		t.Error("--log-format xml accepted")
	}
}
