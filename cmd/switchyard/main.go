// Command switchyard is the one binary of Switchyard: the orchestrator
// (serve), a one-machine development setup (dev), schema migrations, the
// provider simulators, merchant administration, and a load generator.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/switchyard/switchyard/orchestrator/tracing"
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"dev", "run everything on this machine: embedded NATS, local PostgreSQL, simulators, demo merchant", runDev},
		{"serve", "run the orchestrator against --database-url and --nats-url", runServe},
		{"migrate", "apply the embedded schema migrations", runMigrate},
		{"sim", "run the provider simulators alone", runSim},
		{"merchant", "merchant create --config merchant.json · rotate-key · revoke-key", runMerchant},
		{"outbox", "outbox dead | outbox retry (--all | ID...): rows the relay could not publish", runOutbox},
		{"bench", "drive charge → confirm lifecycles end to end and report throughput and latency", runBench},
		{"tx", "tx get <id|reference> · tx list [filters] · tx timeline <id>: transactions over the HTTP API", runTx},
		{"events", "events tail [--type charge.*] [--tx ID]: follow a merchant's events live", runEvents},
		{"webhooks", "webhooks list · deliveries · replay --endpoint ID --since T: a merchant's webhooks", runWebhooks},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "switchyard:", err)
		os.Exit(exitCode(err))
	}
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return helpIsNoError(c.run(ctx, args[1:]))
		}
	}
	usage(stderr)
	return usagef("unknown command %q", args[0])
}

// helpIsNoError turns the flag package's answer to --help / -h (it has
// printed the subcommand's usage already) into success: asking for help is
// not a failure, and main exits 0.
func helpIsNoError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: switchyard <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery flag has an environment twin: --database-url ⇔ SWITCHYARD_DATABASE_URL.")
}

// parseFlags parses args, then fills every flag not given on the command line
// from its environment twin (SWITCHYARD_ + upper-snake name).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s: %w", envName(f.Name), e)
			}
		}
	})
	return err
}

func envName(flagName string) string {
	return "SWITCHYARD_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func newLogger(level, format string) *slog.Logger { return newLoggerTo(os.Stderr, level, format) }

// newLoggerTo logs to w at level, as JSON lines (the default) or as text
// (format "text"); a record logged with a context carrying a span gets its
// trace_id and span_id.
func newLoggerTo(w io.Writer, level, format string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: l}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if format == "text" {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(tracing.LogHandler(h))
}

// printedHelp prints usage and reports true when a command with
// subcommands is asked for help (-h, --help or help in place of one).
func printedHelp(args []string, usage string) bool {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprintln(os.Stderr, usage)
		return true
	}
	return false
}
