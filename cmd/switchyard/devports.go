package main

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
)

// listenFlag is a listen address dev will take and the flag that sets it.
type listenFlag struct {
	flag, addr, hint string
}

// checkListenAddrs tries every address dev will listen on before anything
// is started, so that a busy one is named at once, with the flag to change,
// instead of failing later (or, for NATS, after a wait) with a vague error.
func checkListenAddrs(flags []listenFlag) error {
	for _, f := range flags {
		ln, err := net.Listen("tcp", f.addr)
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("%s %s is already in use (another switchyard dev?): %s", f.flag, f.addr, f.hint)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", f.flag, f.addr, err)
		}
		_ = ln.Close()
	}
	return nil
}

// devListenFlags are the addresses dev listens on that are fixed in advance
// (a port 0 or -1 is picked by the server and cannot be busy).
func devListenFlags(c *commonFlags, natsPort int, simAddr string) []listenFlag {
	var out []listenFlag
	if c.natsURL == "" && natsPort > 0 {
		out = append(out, listenFlag{"--nats-port", net.JoinHostPort("127.0.0.1", strconv.Itoa(natsPort)),
			"choose another with --nats-port, or --nats-port -1 for any free port"})
	}
	out = append(out,
		listenFlag{"--http-addr", c.httpAddr, "choose another with --http-addr, e.g. 127.0.0.1:8081, or 127.0.0.1:0 for any free port"},
		listenFlag{"--sim-addr", simAddr, "choose another with --sim-addr, e.g. 127.0.0.1:9001, or 127.0.0.1:0 for any free port"})
	return out
}
