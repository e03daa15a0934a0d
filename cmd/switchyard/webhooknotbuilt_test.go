package main

import (
	"log/slog"
	"strings"
	"testing"
)

// TestWebhooksNotBuiltSaidOnce: until webhooks are built (#11), the webhooks
// role and --webhook-allow-private each make the instance log one warning
// line at start saying so, instead of silently doing nothing; an instance
// with neither says nothing of webhooks.
func TestWebhooksNotBuiltSaidOnce(t *testing.T) {
	tests := []struct {
		name         string
		roles        []string
		allowPrivate bool
		want         []string // what the one warning names; nil: no warning
	}{
		{"webhooks role", []string{"api", "webhooks"}, false, []string{"webhooks role"}},
		{"allow private without the role", []string{"api"}, true, []string{"--webhook-allow-private"}},
		{"both", []string{"api", "webhooks"}, true, []string{"webhooks role", "--webhook-allow-private"}},
		{"neither", []string{"api"}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuffer
			newEnvWith(t, tt.roles, func(c *nodeConfig) {
				c.WebhookAllowPrivate = tt.allowPrivate
				c.Log = slog.New(slog.NewTextHandler(&out, nil))
			})
			var lines []string
			for _, l := range strings.Split(out.String(), "\n") {
				if strings.Contains(l, "not built yet") {
					lines = append(lines, l)
				}
			}
			if tt.want == nil {
				if len(lines) > 0 {
					t.Fatalf("warned %q with neither the webhooks role nor --webhook-allow-private", lines)
				}
				return
			}
			if len(lines) != 1 || !strings.Contains(lines[0], "level=WARN") {
				t.Fatalf("want one warning saying webhooks are not built yet, got %q", lines)
			}
			for _, w := range tt.want {
				if !strings.Contains(lines[0], w) {
					t.Fatalf("warning %q does not name %s", lines[0], w)
				}
			}
		})
	}
}
