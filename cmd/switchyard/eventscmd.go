package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/webhook"
)

const eventsUsage = `usage: switchyard events tail [--type charge.*] [--tx ID] [--json]
Follows the merchant's events live (NATS, as the merchant: --nats-url, --merchant-id, --api-key; by default the demo merchant of the dev in --dev-dir) until interrupted.`

func runEvents(ctx context.Context, args []string) error {
	if printedHelp(args, eventsUsage) {
		return nil
	}
	if len(args) == 0 || args[0] != "tail" {
		return usageError{eventsUsage}
	}
	fs := flag.NewFlagSet("events tail", flag.ContinueOnError)
	var c clientFlags
	c.register(fs)
	typ := fs.String("type", "", `only events of this type or wildcard ("charge.*", "refund.succeeded")`)
	tx := fs.String("tx", "", "only events of this transaction")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("events tail: unexpected argument %q", fs.Arg(0))
	}
	var filters []string
	if *typ != "" {
		filters = []string{*typ}
		if err := webhook.CheckFilters(filters); err != nil {
			return usagef("events tail: --type: %v", err)
		}
	}
	if err := c.fill(true); err != nil {
		return err
	}
	nc, err := nats.Connect(c.natsURL, nats.Name("switchyard events tail"), nats.UserInfo(c.merchantID, c.apiKey),
		nats.CustomInboxPrefix("_INBOX_"+c.merchantID), nats.MaxReconnects(-1))
	if err != nil {
		return fmt.Errorf("events tail: connect to %s as merchant %s: %w", c.natsURL, c.merchantID, err)
	}
	defer nc.Close()
	tail := &tailer{out: os.Stdout, json: c.jsonOut, colour: !c.jsonOut && isTerminal(os.Stdout), filters: filters, tx: *tx}
	sub, err := nc.Subscribe(events.MerchantEvents(c.merchantID), tail.handle)
	if err != nil {
		return fmt.Errorf("events tail: subscribe: %w", err)
	}
	defer func() { _ = sub.Unsubscribe() }()
	if err := nc.FlushTimeout(5 * time.Second); err != nil {
		return fmt.Errorf("events tail: %w", err)
	}
	fmt.Fprintf(os.Stderr, "following the events of merchant %s (Ctrl-C stops)\n", c.merchantID) // stderr: stdout keeps only events
	<-ctx.Done()
	return nil
}

// tailer prints the events it is handed, one line each.
type tailer struct {
	out     io.Writer
	json    bool
	colour  bool
	filters []string
	tx      string
}

func (t *tailer) handle(m *nats.Msg) {
	var ev events.Event
	if err := json.Unmarshal(m.Data, &ev); err != nil {
		return
	}
	if !webhook.Matches(t.filters, ev.Type) || (t.tx != "" && ev.Subject != t.tx) {
		return
	}
	if t.json {
		fmt.Fprintln(t.out, strings.TrimSpace(string(m.Data)))
		return
	}
	fmt.Fprintln(t.out, t.line(&ev))
}

func (t *tailer) line(ev *events.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %-28s", ev.Time.Local().Format("15:04:05.000"), t.paint(ev.Type))
	if tx := ev.Data.Transaction; tx != nil {
		fmt.Fprintf(&b, " %s  %s %s", tx.ID, tx.Amount, tx.Currency)
		if tx.Reference != "" {
			fmt.Fprintf(&b, "  ref %s", tx.Reference)
		}
	} else if ev.Subject != "" {
		fmt.Fprintf(&b, " %s", ev.Subject)
	}
	if r := ev.Data.Reason; r != nil {
		fmt.Fprintf(&b, "  %s", r.Code)
		if r.Message != "" {
			fmt.Fprintf(&b, ": %s", r.Message)
		}
	}
	return b.String()
}

// paint colours an event type by how its status ended: green for money
// moved or a step done, red for refusals and failures, yellow otherwise.
func (t *tailer) paint(typ string) string {
	if !t.colour {
		return typ
	}
	_, status, _ := strings.Cut(typ, ".")
	code := "33" // yellow
	switch status {
	case "succeeded", "confirmed", "completed", "captured", "held", "granted", "active", "paid", "settled", "refunded", "released", "used":
		code = "32"
	case "failed", "declined", "rejected", "reversed", "expired", "unexpected", "unconfirmed", "payment_unexpected", "disabled":
		code = "31"
	}
	return "\x1b[" + code + "m" + typ + "\x1b[0m"
}
