package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
)

const txUsage = `usage: switchyard tx get <id|reference> [--type charge] [--json]
       switchyard tx list [--type T] [--status S] [--reference R] [--customer-id C] [--provider P] [--parent-id ID] [--from RFC3339] [--to RFC3339] [--limit N] [--cursor C] [--json]
       switchyard tx timeline <id> [--json]
Each talks to a running serve or dev: --url and --api-key (SWITCHYARD_URL, SWITCHYARD_API_KEY), by default those of the dev in --dev-dir (.switchyard).`

func runTx(ctx context.Context, args []string) error {
	if printedHelp(args, txUsage) {
		return nil
	}
	if len(args) == 0 {
		return usageError{txUsage}
	}
	switch args[0] {
	case "get":
		return runTxGet(ctx, args[1:])
	case "list":
		return runTxList(ctx, args[1:])
	case "timeline":
		return runTxTimeline(ctx, args[1:])
	}
	return usagef("tx: unknown subcommand %q\n%s", args[0], txUsage)
}

// parseWithArg parses flags that may come before or after one positional
// argument, and returns the argument.
func parseWithArg(fs *flag.FlagSet, args []string, what string) (string, error) {
	if err := parseFlags(fs, args); err != nil {
		return "", err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return "", usagef("%s: missing %s", fs.Name(), what)
	}
	arg := rest[0]
	if err := parseFlags(fs, rest[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return arg, nil
}

func runTxGet(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("tx get", flag.ContinueOnError)
	var c clientFlags
	c.register(fs)
	typ := fs.String("type", "", "transaction type, when a reference is given (references are unique per type)")
	arg, err := parseWithArg(fs, args, "transaction id or reference")
	if err != nil {
		return err
	}
	if err := c.fill(false); err != nil {
		return err
	}
	var t events.Transaction
	if _, perr := uuid.Parse(arg); perr == nil {
		if err := c.call(ctx, "GET", "/v1/transactions/"+arg, nil, nil, &t); err != nil {
			return fmt.Errorf("tx get %s: %w", arg, err)
		}
	} else {
		q := url.Values{"reference": {arg}, "limit": {"2"}}
		if *typ != "" {
			q.Set("type", *typ)
		}
		var page txPage
		if err := c.call(ctx, "GET", "/v1/transactions", q, nil, &page); err != nil {
			return fmt.Errorf("tx get %s: %w", arg, err)
		}
		switch len(page.Data) {
		case 0:
			return fmt.Errorf("tx get: no transaction with reference %q", arg)
		case 1:
			t = page.Data[0]
		default:
			return usagef("tx get: reference %q names transactions of several types; give --type", arg)
		}
	}
	if c.jsonOut {
		return printJSON(t)
	}
	printTxDetail(os.Stdout, &t)
	return nil
}

// txPage is a page of GET /v1/transactions.
type txPage struct {
	Data       []events.Transaction `json:"data"`
	NextCursor string               `json:"next_cursor,omitempty"`
}

func runTxList(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("tx list", flag.ContinueOnError)
	var c clientFlags
	c.register(fs)
	filters := map[string]*string{}
	for _, f := range []string{"type", "status", "reference", "customer-id", "provider", "parent-id", "from", "to", "limit", "cursor"} {
		filters[f] = fs.String(f, "", "only transactions with this "+strings.ReplaceAll(f, "-", " "))
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("tx list: unexpected argument %q", fs.Arg(0))
	}
	if err := c.fill(false); err != nil {
		return err
	}
	q := url.Values{}
	for f, v := range filters {
		if *v != "" {
			q.Set(strings.ReplaceAll(f, "-", "_"), *v)
		}
	}
	var page txPage
	if err := c.call(ctx, "GET", "/v1/transactions", q, nil, &page); err != nil {
		return fmt.Errorf("tx list: %w", err)
	}
	if c.jsonOut {
		return printJSON(page)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tSTATUS\tAMOUNT\tPROVIDER\tREFERENCE\tCREATED")
	for _, t := range page.Data {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s %s\t%s\t%s\t%s\n", t.ID, t.Type, t.Status, t.Amount, t.Currency, t.Provider, t.Reference,
			t.CreatedAt.Local().Format("2006-01-02 15:04:05"))
	}
	_ = tw.Flush()
	if page.NextCursor != "" {
		fmt.Fprintf(os.Stderr, "more: --cursor %s\n", page.NextCursor)
	}
	return nil
}

func printTxDetail(w io.Writer, t *events.Transaction) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	row("id", t.ID)
	row("type", t.Type)
	row("status", t.Status)
	row("amount", t.Amount+" "+t.Currency)
	row("provider", t.Provider)
	row("reference", t.Reference)
	row("parent", t.ParentID)
	row("provider reference", t.ProviderReference)
	row("refunded", t.RefundedAmount)
	if t.Reason != nil {
		r := t.Reason.Code
		if t.Reason.Message != "" {
			r += ": " + t.Reason.Message
		}
		row("reason", r)
	}
	if t.PaymentMethod != nil {
		row("payment method", strings.TrimSpace(t.PaymentMethod.Type+" "+t.PaymentMethod.BIN+"…"+t.PaymentMethod.Last4))
	}
	for k, v := range t.Metadata {
		row("metadata."+k, v)
	}
	row("created", t.CreatedAt.Local().Format(time.RFC3339))
	row("updated", t.UpdatedAt.Local().Format(time.RFC3339))
	row("version", fmt.Sprint(t.Version))
	_ = tw.Flush()
}

func runTxTimeline(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("tx timeline", flag.ContinueOnError)
	var c clientFlags
	c.register(fs)
	id, err := parseWithArg(fs, args, "transaction id")
	if err != nil {
		return err
	}
	if err := c.fill(false); err != nil {
		return err
	}
	var tl api.Timeline
	if err := c.call(ctx, "GET", "/v1/transactions/"+url.PathEscape(id)+"/timeline", nil, nil, &tl); err != nil {
		return fmt.Errorf("tx timeline %s: %w", id, err)
	}
	if c.jsonOut {
		return printJSON(tl)
	}
	printTimeline(os.Stdout, &tl)
	return nil
}

func printTimeline(w io.Writer, tl *api.Timeline) {
	t := tl.Transaction
	fmt.Fprintf(w, "%s %s  %s  %s %s  %s\n", t.Type, t.ID, t.Status, t.Amount, t.Currency, t.Provider)
	if tl.Parent != nil {
		fmt.Fprintf(w, "parent   %s %s (%s)\n", tl.Parent.Type, tl.Parent.ID, tl.Parent.Status)
	}
	for _, ch := range tl.Children {
		fmt.Fprintf(w, "child    %s %s (%s) %s\n", ch.Type, ch.ID, ch.Status, ch.Amount)
	}
	for _, p := range tl.PendingTimers {
		fmt.Fprintf(w, "timer    %s due %s (attempt %d)\n", p.Kind, p.DueAt.Local().Format(time.RFC3339), p.Attempt)
	}
	fmt.Fprintln(w)
	for _, e := range tl.Entries {
		fmt.Fprintf(w, "%s  %-10s %s\n", e.At.Local().Format("15:04:05.000"), timelineLabel(e.Kind), timelineText(e))
	}
}

func timelineLabel(kind string) string {
	switch kind {
	case "provider_call":
		return "provider"
	case "webhook_attempt":
		return "webhook"
	}
	return kind
}

func timelineText(e api.TimelineEntry) string {
	switch {
	case e.Command != nil:
		s := e.Command.Type + " " + e.Command.ID + " " + e.Command.Outcome
		if e.Command.Reason != nil {
			s += ": " + e.Command.Reason.Code + " " + e.Command.Reason.Message
		}
		return s
	case e.Transition != nil:
		from := e.Transition.From
		if from == "" {
			from = "(new)"
		}
		s := from + " → " + e.Transition.To + "  by " + e.Transition.Cause
		if len(e.Transition.Effects) > 0 {
			s += "; then " + strings.Join(e.Transition.Effects, ", ")
		}
		return s
	case e.Event != nil:
		return fmt.Sprintf("%s #%d %s", e.Event.Type, e.Event.Sequence, e.Event.ID)
	case e.ProviderCall != nil:
		p := e.ProviderCall
		s := fmt.Sprintf("%s %s #%d → %s", p.Provider, p.Operation, p.Attempt, p.Outcome)
		if p.Code != "" {
			s += " (" + p.Code + ")"
		}
		return s + fmt.Sprintf(" in %d ms", p.LatencyMS)
	case e.WebhookAttempt != nil:
		a := e.WebhookAttempt
		status := "no answer"
		if a.StatusCode != nil {
			status = fmt.Sprint(*a.StatusCode)
		}
		s := fmt.Sprintf("%s to endpoint %s #%d → %s in %d ms", a.EventType, a.EndpointID, a.Attempt, status, a.LatencyMS)
		if a.Error != "" {
			s += ": " + a.Error
		}
		return s
	}
	return ""
}
