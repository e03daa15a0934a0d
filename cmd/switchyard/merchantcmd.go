package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

const merchantUsage = `usage: switchyard merchant create --config merchant.json [--database-url URL --secret-key KEY] [--nats-url URL --nats-user U --nats-password P]
       switchyard merchant rotate-key --merchant ID [--overlap 24h] [--database-url URL]
       switchyard merchant revoke-key --merchant ID --prefix PREFIX [--database-url URL]
       switchyard merchant settlement --merchant ID [--cutoff HH:MM] [--time-zone ZONE] [--database-url URL]`

func runMerchant(ctx context.Context, args []string) error {
	if printedHelp(args, merchantUsage) {
		return nil
	}
	if len(args) == 0 {
		return errors.New(merchantUsage)
	}
	switch args[0] {
	case "create":
		return runMerchantCreate(ctx, args[1:])
	case "rotate-key":
		return runMerchantRotateKey(ctx, args[1:])
	case "revoke-key":
		return runMerchantRevokeKey(ctx, args[1:])
	case "settlement":
		return runMerchantSettlement(ctx, args[1:])
	}
	return errors.New(merchantUsage)
}

func runMerchantCreate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("merchant create", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "merchant JSON (name, confirm_deadline, providers, settlement, provider_settings)")
	dbURL := fs.String("database-url", "", "PostgreSQL URL")
	key := fs.String("secret-key", "", "base64 32-byte instance secret key")
	var nf natsFlags
	nf.register(fs)
	if err := parseFlags(fs, args); err != nil {
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
	st, err := openMerchantStore(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	created, err := merchant.Create(ctx, st, sealer, spec)
	if err != nil {
		return err
	}
	if err := nf.ensureConsumer(ctx, created.ID); err != nil {
		return err
	}
	return printJSON(created)
}

// keyFlags are the flags of rotate-key and revoke-key. --secret-key is
// accepted like merchant create's (scripts pass it, or set its environment
// twin) though keys are hashed, not sealed.
type keyFlags struct {
	fs                    *flag.FlagSet
	merchantID, dbURL     *string
	overlap, prefix, skey *string
}

func newKeyFlags(name string) *keyFlags {
	fs := flag.NewFlagSet("merchant "+name, flag.ContinueOnError)
	return &keyFlags{fs: fs,
		merchantID: fs.String("merchant", "", "merchant id"),
		dbURL:      fs.String("database-url", "", "PostgreSQL URL"),
		skey:       fs.String("secret-key", "", "instance secret key (accepted, not needed: keys are hashed)"),
	}
}

// parse parses args and returns the merchant id.
func (k *keyFlags) parse(args []string) (uuid.UUID, error) {
	if err := parseFlags(k.fs, args); err != nil {
		return uuid.Nil, err
	}
	if *k.merchantID == "" || *k.dbURL == "" {
		return uuid.Nil, errors.New("--merchant and --database-url are required")
	}
	id, err := uuid.Parse(*k.merchantID)
	if err != nil {
		return uuid.Nil, fmt.Errorf("--merchant %q is not a merchant id", *k.merchantID)
	}
	return id, nil
}

func runMerchantRotateKey(ctx context.Context, args []string) error {
	k := newKeyFlags("rotate-key")
	k.overlap = k.fs.String("overlap", "", `how long the merchant's current keys keep working, such as "24h" (default: they stop now)`)
	id, err := k.parse(args)
	if err != nil {
		return err
	}
	overlap, err := merchant.ParseOverlap(*k.overlap)
	if err != nil {
		return fmt.Errorf("--overlap: %w", err)
	}
	st, err := openMerchantStore(ctx, *k.dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	rotated, err := merchant.RotateKey(ctx, st, id, overlap)
	if err != nil {
		return err
	}
	return printJSON(rotated)
}

func runMerchantRevokeKey(ctx context.Context, args []string) error {
	k := newKeyFlags("revoke-key")
	k.prefix = k.fs.String("prefix", "", "prefix of the key to revoke (api_key_prefix / prefix when it was issued)")
	id, err := k.parse(args)
	if err != nil {
		return err
	}
	if *k.prefix == "" {
		return errors.New("--prefix is required")
	}
	st, err := openMerchantStore(ctx, *k.dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := merchant.RevokeKey(ctx, st, id, *k.prefix); err != nil {
		return err
	}
	fmt.Printf("revoked key %s of merchant %s\n", *k.prefix, id)
	return nil
}

// openMerchantStore migrates the schema and opens a small pool.
func openMerchantStore(ctx context.Context, dbURL string) (*store.Store, error) {
	if _, err := migrate(ctx, dbURL); err != nil {
		return nil, err
	}
	return store.Open(ctx, dbURL, 2)
}

func printJSON(v any) error {
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	fmt.Println(string(out))
	return nil
}
