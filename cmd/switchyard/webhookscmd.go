package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

const webhooksUsage = `usage: switchyard webhooks list [--json]
       switchyard webhooks deliveries [--endpoint ID] [--status pending|delivered|failed] [--event ID] [--json]
       switchyard webhooks replay --endpoint ID --since RFC3339|DURATION [--wait 60s]
Each talks to a running serve or dev: --url and --api-key (SWITCHYARD_URL, SWITCHYARD_API_KEY), by default those of the dev in --dev-dir (.switchyard).`

func runWebhooks(ctx context.Context, args []string) error {
	if printedHelp(args, webhooksUsage) {
		return nil
	}
	if len(args) == 0 {
		return usageError{webhooksUsage}
	}
	switch args[0] {
	case "list":
		return runWebhooksList(ctx, args[1:])
	case "deliveries":
		return runWebhooksDeliveries(ctx, args[1:])
	case "replay":
		return runWebhooksReplay(ctx, args[1:])
	}
	return usagef("webhooks: unknown subcommand %q\n%s", args[0], webhooksUsage)
}

type cliEndpoint struct {
	ID             string    `json:"id"`
	URL            string    `json:"url"`
	Description    string    `json:"description"`
	EventTypes     []string  `json:"event_types"`
	Status         string    `json:"status"`
	DisabledReason string    `json:"disabled_reason"`
	CreatedAt      time.Time `json:"created_at"`
}

type cliDelivery struct {
	ID           string     `json:"id"`
	EndpointID   string     `json:"endpoint_id"`
	EventID      string     `json:"event_id"`
	EventType    string     `json:"event_type"`
	Status       string     `json:"status"`
	AttemptCount int        `json:"attempt_count"`
	LastStatus   *int       `json:"last_status"`
	LastError    string     `json:"last_error"`
	CreatedAt    time.Time  `json:"created_at"`
	DeliveredAt  *time.Time `json:"delivered_at"`
}

func runWebhooksList(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("webhooks list", flag.ContinueOnError)
	var c clientFlags
	c.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("webhooks list: unexpected argument %q", fs.Arg(0))
	}
	if err := c.fill(false); err != nil {
		return err
	}
	var page struct {
		Data []cliEndpoint `json:"data"`
	}
	if err := c.call(ctx, "GET", "/v1/webhook-endpoints", nil, nil, &page); err != nil {
		return fmt.Errorf("webhooks list: %w", err)
	}
	if c.jsonOut {
		return printJSON(page)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tURL\tEVENTS\tCREATED")
	for _, e := range page.Data {
		types := strings.Join(e.EventTypes, ",")
		if types == "" {
			types = "*"
		}
		status := e.Status
		if e.DisabledReason != "" {
			status += " (" + e.DisabledReason + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, status, e.URL, types, e.CreatedAt.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func runWebhooksDeliveries(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("webhooks deliveries", flag.ContinueOnError)
	var c clientFlags
	c.register(fs)
	endpoint := fs.String("endpoint", "", "only this endpoint's deliveries")
	status := fs.String("status", "", "only deliveries in this status (pending, delivered, failed)")
	event := fs.String("event", "", "only the deliveries of this event")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("webhooks deliveries: unexpected argument %q", fs.Arg(0))
	}
	if err := c.fill(false); err != nil {
		return err
	}
	q := url.Values{}
	for k, v := range map[string]string{"endpoint_id": *endpoint, "status": *status, "event_id": *event} {
		if v != "" {
			q.Set(k, v)
		}
	}
	ds, err := c.deliveries(ctx, q)
	if err != nil {
		return fmt.Errorf("webhooks deliveries: %w", err)
	}
	if c.jsonOut {
		return printJSON(ds)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEVENT\tSTATUS\tATTEMPTS\tLAST\tCREATED")
	for _, d := range ds {
		last := d.LastError
		if d.LastStatus != nil {
			last = fmt.Sprint(*d.LastStatus)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", d.ID, d.EventType, d.Status, d.AttemptCount, last, d.CreatedAt.Local().Format("15:04:05"))
	}
	return tw.Flush()
}

func (c *clientFlags) deliveries(ctx context.Context, q url.Values) ([]cliDelivery, error) {
	if q.Get("limit") == "" {
		q.Set("limit", "100")
	}
	var page struct {
		Data []cliDelivery `json:"data"`
	}
	err := c.call(ctx, "GET", "/v1/webhook-deliveries", q, nil, &page)
	return page.Data, err
}

// runWebhooksReplay resends every failed delivery of an endpoint since a
// time, then follows them until none is pending (or --wait passes), with a
// live progress line on a terminal.
func runWebhooksReplay(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("webhooks replay", flag.ContinueOnError)
	var c clientFlags
	c.register(fs)
	endpoint := fs.String("endpoint", "", "the endpoint whose failed deliveries are sent again (required)")
	since := fs.String("since", "", "replay failures since this time (RFC 3339) or this long ago (24h) (required)")
	wait := fs.Duration("wait", time.Minute, "how long to follow the replayed deliveries (0: do not)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *endpoint == "" || *since == "" || fs.NArg() > 0 {
		return usageError{webhooksUsage}
	}
	from, err := parseSince(*since)
	if err != nil {
		return usagef("webhooks replay: --since: %v", err)
	}
	if err := c.fill(false); err != nil {
		return err
	}
	var out struct {
		Replayed int `json:"replayed"`
	}
	body := map[string]string{"since": from.UTC().Format(time.RFC3339Nano)}
	if err := c.call(ctx, "POST", "/v1/webhook-endpoints/"+url.PathEscape(*endpoint)+"/replay", nil, body, &out); err != nil {
		return fmt.Errorf("webhooks replay: %w", err)
	}
	fmt.Fprintf(os.Stderr, "replaying %d failed deliveries of endpoint %s since %s\n", out.Replayed, *endpoint, from.Local().Format(time.RFC3339))
	if out.Replayed == 0 || *wait <= 0 {
		return nil
	}
	return c.followReplay(ctx, *endpoint, from, out.Replayed, *wait)
}

func parseSince(s string) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return time.Now().Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a duration such as 24h", s)
	}
	return t, nil
}

// followReplay polls the endpoint's deliveries since from until none is
// pending: a live line on a terminal, one line at the end otherwise.
func (c *clientFlags) followReplay(ctx context.Context, endpoint string, from time.Time, n int, wait time.Duration) error {
	live := isTerminal(os.Stderr)
	deadline := time.Now().Add(wait)
	for {
		ds, err := c.deliveries(ctx, url.Values{"endpoint_id": {endpoint}})
		if err != nil {
			return fmt.Errorf("webhooks replay: %w", err)
		}
		counts := map[string]int{}
		for _, d := range ds {
			if !d.CreatedAt.Before(from) {
				counts[d.Status]++
			}
		}
		line := fmt.Sprintf("replay: %d delivered, %d pending, %d failed", counts["delivered"], counts["pending"], counts["failed"])
		if live {
			fmt.Fprint(os.Stderr, "\r\x1b[K"+line)
		}
		done := counts["pending"] == 0
		if done || time.Now().After(deadline) || ctx.Err() != nil {
			if live {
				fmt.Fprintln(os.Stderr)
			} else {
				fmt.Fprintln(os.Stderr, line)
			}
			if !done && ctx.Err() == nil {
				return fmt.Errorf("webhooks replay: %d deliveries still pending after %v (they go on in the background)", counts["pending"], wait)
			}
			return nil
		}
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
}
