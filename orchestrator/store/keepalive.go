package store

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// TCP keepalives, so that a dead host's sessions end within seconds on both
// ends of the connection instead of after the kernel's two hours. On the
// server the session of a dead executor host then ends, which frees its
// holder lock (its claims are taken again at once: see Holder) and the row
// locks of any transaction it left open. On the client a dead database host
// turns into an error instead of a wait without end.
//
//   - idle 3s: a connection silent this long is probed (a live holder's
//     connection speaks every second, so an idle one is rare);
//   - interval 1s, count 3: three unanswered probes, one a second, drop it;
//
// so a dead peer is noticed 3 + 3×1 = 6 s after its last packet at most.
//   - tcp_user_timeout 10s (server side): data the server sent that stays
//     unacknowledged this long drops the connection too (keepalives do not
//     probe while data is in flight). Long enough for a slow client reading
//     a large result.
//
// The server side is set per session through the startup parameters
// tcp_keepalives_idle/interval/count and tcp_user_timeout (PostgreSQL ≥ 12;
// ignored on a Unix socket); the client side through the dialer. pgx does
// not know libpq's keepalives_idle, keepalives_interval and
// keepalives_count: given in the database URL they would reach the server
// as unknown parameters, so they are taken out here and override the
// defaults on both ends. Server parameters given in the URL are kept as
// they are.
const (
	keepAliveIdle     = 3 * time.Second
	keepAliveInterval = time.Second
	keepAliveCount    = 3
	tcpUserTimeout    = 10 * time.Second
)

// setKeepAlive configures cfg's dialer and server session for keepalives.
func setKeepAlive(cfg *pgconn.Config) error {
	ka := net.KeepAliveConfig{Enable: true, Idle: keepAliveIdle, Interval: keepAliveInterval, Count: keepAliveCount}
	if err := libpqKeepAlive(cfg.RuntimeParams, &ka); err != nil {
		return err
	}
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAliveConfig: ka} // as pgx's own, with keepalives
	cfg.DialFunc = dialer.DialContext
	setDefault(cfg.RuntimeParams, "tcp_keepalives_idle", strconv.Itoa(int(ka.Idle.Seconds())))
	setDefault(cfg.RuntimeParams, "tcp_keepalives_interval", strconv.Itoa(int(ka.Interval.Seconds())))
	setDefault(cfg.RuntimeParams, "tcp_keepalives_count", strconv.Itoa(ka.Count))
	setDefault(cfg.RuntimeParams, "tcp_user_timeout", millis(tcpUserTimeout))
	return nil
}

// libpqKeepAlive moves libpq's keepalives (0 turns the client's off) and
// keepalives_* URL parameters (seconds; a count) out of params into ka.
func libpqKeepAlive(params map[string]string, ka *net.KeepAliveConfig) error {
	if v, ok := params["keepalives"]; ok {
		delete(params, "keepalives")
		ka.Enable = v != "0"
	}
	for name, set := range map[string]func(int){
		"keepalives_idle":     func(n int) { ka.Idle = time.Duration(n) * time.Second },
		"keepalives_interval": func(n int) { ka.Interval = time.Duration(n) * time.Second },
		"keepalives_count":    func(n int) { ka.Count = n },
	} {
		v, ok := params[name]
		if !ok {
			continue
		}
		delete(params, name)
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("database url: %s=%q: want a positive whole number", name, v)
		}
		set(n)
	}
	return nil
}

func setDefault(params map[string]string, name, value string) {
	if _, ok := params[name]; !ok {
		params[name] = value
	}
}
