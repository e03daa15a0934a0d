//go:build linux

package store_test

import (
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

// TestOpenKeepAlive: both ends of every connection, pooled or a holder's,
// probe a silent peer within seconds; libpq's keepalives_* URL parameters
// (unknown to pgx) set them instead of failing the connection.
func TestOpenKeepAlive(t *testing.T) {
	t.Parallel()
	db := schematest.NewDB(t)
	tests := []struct {
		name, params    string
		idle, intvl, nr int    // seconds, seconds, probes: both ends
		userTimeout     string // server's tcp_user_timeout, ms
		wantErr         string
	}{
		{name: "defaults", idle: 3, intvl: 1, nr: 3, userTimeout: "10000"},
		{name: "libpq parameters", params: "keepalives_idle=7&keepalives_interval=2&keepalives_count=5",
			idle: 7, intvl: 2, nr: 5, userTimeout: "10000"},
		{name: "server parameter kept", params: "tcp_user_timeout=4000", idle: 3, intvl: 1, nr: 3, userTimeout: "4000"},
		{name: "bad libpq parameter", params: "keepalives_count=many", wantErr: "keepalives_count"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := db
			if tc.params != "" {
				url += "&" + tc.params
			}
			st, err := store.Open(t.Context(), url, 2)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Open = %v, want an error about %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			server := map[string]string{}
			rows, err := st.Pool.Query(t.Context(), `SELECT name, setting FROM pg_settings
				WHERE name IN ('tcp_keepalives_idle', 'tcp_keepalives_interval', 'tcp_keepalives_count', 'tcp_user_timeout')`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var k, v string
				if err := rows.Scan(&k, &v); err != nil {
					t.Fatal(err)
				}
				server[k] = v
			}
			want := map[string]string{"tcp_keepalives_idle": strconv.Itoa(tc.idle), "tcp_keepalives_interval": strconv.Itoa(tc.intvl),
				"tcp_keepalives_count": strconv.Itoa(tc.nr), "tcp_user_timeout": tc.userTimeout}
			for k, v := range want {
				if server[k] != v {
					t.Errorf("server %s = %q, want %q", k, server[k], v)
				}
			}
			c, err := st.Pool.Acquire(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Release()
			checkClientKeepAlive(t, c.Conn().PgConn().Conn(), tc.idle, tc.intvl, tc.nr)
		})
	}
}

func checkClientKeepAlive(t *testing.T, nc net.Conn, idle, intvl, nr int) {
	t.Helper()
	tcp, ok := nc.(*net.TCPConn)
	if !ok {
		t.Fatalf("connection is a %T, want TCP", nc)
	}
	raw, err := tcp.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	err = raw.Control(func(fd uintptr) {
		for name, opt := range map[string][2]int{"SO_KEEPALIVE": {syscall.SOL_SOCKET, syscall.SO_KEEPALIVE},
			"TCP_KEEPIDLE": {syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE}, "TCP_KEEPINTVL": {syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL},
			"TCP_KEEPCNT": {syscall.IPPROTO_TCP, syscall.TCP_KEEPCNT}} {
			got[name], _ = syscall.GetsockoptInt(int(fd), opt[0], opt[1])
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"SO_KEEPALIVE": 1, "TCP_KEEPIDLE": idle, "TCP_KEEPINTVL": intvl, "TCP_KEEPCNT": nr}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("client socket %s = %d, want %d", k, got[k], v)
		}
	}
}
