package main

import (
	"fmt"
	"io"
	"net"
	"testing"
	"time"
)

// TestHTTPServerTimeouts: the server bounds reading, writing and idling, and
// its write time-out leaves room for the longest legitimate answer.
func TestHTTPServerTimeouts(t *testing.T) {
	e := newEnvRoles(t, []string{"api"})
	s := e.node.http
	if s.ReadTimeout <= 0 || s.IdleTimeout <= 0 || s.ReadHeaderTimeout <= 0 {
		t.Fatalf("read %v, read header %v, idle %v: want all bounded", s.ReadTimeout, s.ReadHeaderTimeout, s.IdleTimeout)
	}
	// Prefer: wait=30 plus the API's commit wait of 10 s.
	if longest := 30*time.Second + 10*time.Second; s.WriteTimeout <= longest {
		t.Fatalf("write time-out %v: must exceed the longest answer, %v", s.WriteTimeout, longest)
	}
}

// TestHTTPServerCutsSlowBody: a client that trickles its body is cut off by
// the read time-out instead of holding a connection and a goroutine forever.
func TestHTTPServerCutsSlowBody(t *testing.T) {
	e := newEnvRoles(t, []string{"api"})
	conn, err := net.Dial("tcp", e.node.httpAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /v1/admin/merchants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer admin-token\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
	closed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, conn) // returns when the server closes the connection
		close(closed)
	}()
	start := time.Now()
	limit := httpReadTimeout + 5*time.Second // the read time-out and some slack
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-closed:
			t.Logf("cut off after %v", time.Since(start).Round(time.Millisecond))
			return
		case <-tick.C:
		}
		if time.Since(start) > limit {
			t.Fatalf("a client sending one byte every 250ms still connected after %v", limit)
		}
		if _, err := conn.Write([]byte(" ")); err != nil {
			t.Logf("cut off after %v (%v)", time.Since(start).Round(time.Millisecond), err)
			return
		}
	}
}
