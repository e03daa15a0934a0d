package main

import (
	"context"
	"errors"
	"fmt"
	_ "time/tzdata" // merchants' batch cut-off time zones, on machines without zoneinfo

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/merchant"
)

// settlementFlags names the flag behind each field of merchant.Settlement.
var settlementFlags = map[string]string{"settlement.batch_cutoff": "--cutoff", "settlement.time_zone": "--time-zone"}

// runMerchantSettlement is `merchant settlement`: it changes when a
// merchant's daily batch closes (a flag left out keeps its value) and moves
// its cut-off timer in the same commit, as PATCH
// /v1/admin/merchants/{id}/settlement does.
func runMerchantSettlement(ctx context.Context, args []string) error {
	k := newKeyFlags("settlement")
	cutoff := k.fs.String("cutoff", "", `batch cut-off, local time of day "HH:MM" (such as "18:00")`)
	zone := k.fs.String("time-zone", "", `IANA time zone of the cut-off (such as "Africa/Johannesburg")`)
	id, err := k.parse(args)
	if err != nil {
		return err
	}
	st, err := openMerchantStore(ctx, *k.dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	settled, err := merchant.SetSettlement(ctx, st, id, merchant.Settlement{BatchCutoff: *cutoff, TimeZone: *zone})
	var fe *events.FieldError
	if errors.As(err, &fe) {
		return fmt.Errorf("%s: %s", settlementFlags[fe.Field], fe.Message)
	}
	if err != nil {
		return err
	}
	return printJSON(settled)
}
