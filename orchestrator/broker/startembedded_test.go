package broker_test

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/broker"
)

// TestStartEmbeddedBusyPort: a port already taken fails at once with an
// error naming it, instead of waiting for a server that never gets ready.
func TestStartEmbeddedBusyPort(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	start := time.Now()
	e, err := broker.StartEmbedded(broker.EmbeddedOptions{StoreDir: t.TempDir(), Port: port})
	took := time.Since(start)
	if err == nil {
		e.Shutdown()
		t.Fatal("started on a busy port")
	}
	if took > 5*time.Second {
		t.Errorf("took %v to fail", took)
	}
	if !strings.Contains(err.Error(), strconv.Itoa(port)) {
		t.Errorf("error does not name port %d: %v", port, err)
	}
}
