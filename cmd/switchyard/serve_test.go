package main

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

// TestServeRefusesBadProviderURLs: serve checks the provider URLs before it
// connects to anything, and says in one line which flag is wrong.
func TestServeRefusesBadProviderURLs(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	base := []string{"--database-url", "postgres://127.0.0.1:1/none?connect_timeout=1", "--nats-url", "nats://127.0.0.1:1", "--secret-key", key}
	tests := []struct {
		name    string
		args    []string
		wantErr string // "" = the URLs pass and serve goes on (to fail connecting)
	}{
		{"workers without onoconnect url", []string{"--roles", "workers"}, "--onoconnect-url"},
		{"all roles without onoconnect url", nil, "--onoconnect-url"},
		{"onoconnect url not absolute", []string{"--onoconnect-url", "sim:8081/onoconnect"}, "--onoconnect-url"},
		{"onoconnect url not http", []string{"--onoconnect-url", "ftp://ono.example/v2"}, "--onoconnect-url"},
		{"onoconnect url without host", []string{"--onoconnect-url", "https://"}, "--onoconnect-url"},
		{"other provider url given and bad", []string{"--onoconnect-url", "https://ono.example", "--processone-url", "processone"}, "--processone-url"},
		{"codes url bad", []string{"--onoconnect-url", "https://ono.example", "--codes-url", "://x"}, "--codes-url"},
		{"api role needs no provider", []string{"--roles", "api"}, ""},
		{"workers with good urls", []string{"--roles", "workers", "--onoconnect-url", "https://ono.example/", "--utility-url", "http://10.0.0.7:8080"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := runServe(t.Context(), append(append([]string{}, base...), tt.args...))
			if err == nil {
				t.Fatal("serve started against unreachable servers")
			}
			msg := err.Error()
			if tt.wantErr == "" {
				if strings.Contains(msg, "--") {
					t.Fatalf("good URLs refused: %v", err)
				}
				return
			}
			if !strings.Contains(msg, tt.wantErr) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line naming %s", msg, tt.wantErr)
			}
			if time.Since(start) > 500*time.Millisecond {
				t.Fatalf("took %v: serve tried to connect before checking its flags", time.Since(start))
			}
		})
	}
}
