package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/switchyard/switchyard/schema"
	"github.com/switchyard/switchyard/workers/simhost"
)

func migrate(ctx context.Context, url string) ([]int, error) { return schema.Migrate(ctx, url, nil) }

func runSim(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9000", "listen address of the simulators")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	srv, url, err := startSims(*addr)
	if err != nil {
		return err
	}
	fmt.Println("provider simulators listening on", url)
	for name, u := range simhost.URLs(url) {
		fmt.Printf("  %-11s %s\n", name, u)
	}
	<-ctx.Done()
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// startSims serves every simulator on addr and returns the root URL.
func startSims(addr string) (*http.Server, string, error) { return serveSims(addr, simhost.New()) }

// serveSims serves the simulators of h on addr and returns the root URL.
func serveSims(addr string, h *simhost.Host) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("simulators: listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("simulators stopped:", err)
		}
	}()
	return srv, "http://" + ln.Addr().String(), nil
}
