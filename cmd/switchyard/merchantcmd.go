package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

func runMerchant(ctx context.Context, args []string) error {
	const usage = "usage: switchyard merchant create --config merchant.json [--database-url URL --secret-key KEY]"
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprintln(os.Stderr, usage)
		return nil
	}
	if len(args) == 0 || args[0] != "create" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("merchant create", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "merchant JSON (name, confirm_deadline, providers)")
	dbURL := fs.String("database-url", "", "PostgreSQL URL")
	key := fs.String("secret-key", "", "base64 32-byte instance secret key")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *cfgPath == "" || *dbURL == "" || *key == "" {
		return errors.New("--config, --database-url and --secret-key are required")
	}
	b, err := os.ReadFile(*cfgPath)
	if err != nil {
		return err
	}
	var spec merchant.Spec
	if err := json.Unmarshal(b, &spec); err != nil {
		return fmt.Errorf("%s: %w", *cfgPath, err)
	}
	k, err := secret.ParseKey(*key)
	if err != nil {
		return err
	}
	sealer, err := secret.NewSealer(k)
	if err != nil {
		return err
	}
	if _, err := migrate(ctx, *dbURL); err != nil {
		return err
	}
	st, err := store.Open(ctx, *dbURL, 2)
	if err != nil {
		return err
	}
	defer st.Close()
	created, err := merchant.Create(ctx, st, sealer, spec)
	if err != nil {
		return err
	}
	out, _ := json.MarshalIndent(created, "", "  ")
	fmt.Println(string(out))
	return nil
}
