package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/switchyard/switchyard/orchestrator/store"
)

const outboxUsage = "usage: switchyard outbox dead | outbox retry (--all | ID...) [--database-url URL]"

// runOutbox is the operator's view of outbox_dead: rows the relay could not
// publish (and the later rows of their transactions, held behind them).
func runOutbox(ctx context.Context, args []string) error {
	if printedHelp(args, outboxUsage) {
		return nil
	}
	if len(args) == 0 || (args[0] != "dead" && args[0] != "retry") {
		return errors.New(outboxUsage)
	}
	fs := flag.NewFlagSet("outbox "+args[0], flag.ContinueOnError)
	dbURL := fs.String("database-url", "", "PostgreSQL URL")
	all := fs.Bool("all", false, "retry: every dead row")
	ids, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	if *dbURL == "" {
		return errors.New("--database-url (SWITCHYARD_DATABASE_URL) is required")
	}
	st, err := store.Open(ctx, *dbURL, 2)
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "dead" {
		return outboxDead(ctx, st, os.Stdout)
	}
	return outboxRetry(ctx, st, os.Stdout, *all, ids)
}

// parseInterleaved parses flags wherever they stand among the arguments
// (retry 12 13 --database-url …) and returns the arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, parseFlags(fs, nil) // environment twins of the flags not given
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
}

// outboxDead lists the dead rows, oldest first.
func outboxDead(ctx context.Context, st *store.Store, w io.Writer) error {
	dead, err := st.OutboxDeadList(ctx)
	if err != nil {
		return err
	}
	if len(dead) == 0 {
		fmt.Fprintln(w, "no dead outbox rows")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFIRST FAILED\tMERCHANT\tSUBJECT\tMSG ID\tBYTES\tERROR")
	for _, d := range dead {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", d.ID, d.FirstFailedAt.UTC().Format(time.RFC3339), d.MerchantID,
			d.Subject, d.MsgID, d.Size, d.Error)
	}
	return tw.Flush()
}

// outboxRetry moves dead rows back to the outbox: all of them, or the
// given ones, each with the other dead rows of its transaction.
func outboxRetry(ctx context.Context, st *store.Store, w io.Writer, all bool, args []string) error {
	if all == (len(args) > 0) {
		return errors.New("retry takes --all or dead row ids, not both: " + outboxUsage)
	}
	ids := make([]int64, len(args))
	for i, a := range args {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			return fmt.Errorf("dead row id %q: not a number", a)
		}
		ids[i] = id
	}
	moved, err := st.OutboxDeadRetry(ctx, ids, all)
	if err != nil {
		return err
	}
	if len(moved) == 0 && !all {
		return fmt.Errorf("no dead outbox row with id %v", args)
	}
	fmt.Fprintf(w, "moved %d row(s) back to the outbox, in their original order: %v\n", len(moved), moved)
	return nil
}
