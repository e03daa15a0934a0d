package utility_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/utility"
	"github.com/switchyard/switchyard/workers/utility/utilitysim"
)

// A purchase whose answer never arrives is recovered with Retry and the same
// request: the provider returns the tokens it already issued.
func Example() {
	sim := utilitysim.New(utilitysim.Options{Hold: time.Second})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	client, _ := utility.NewClient(utility.Config{
		BaseURL:     srv.URL,
		Credentials: utility.Credentials{ClientID: "merchant-1", APIKey: "secret"},
		Timeout:     200 * time.Millisecond,
	})
	amount, _ := utility.NewLedgerAmount(decimal.RequireFromString("50.00"), "ZAR")
	req := utility.PurchaseRequest{
		ID:                    "3fa85f64-5717-4562-b3fc-2c963f66afa6",
		Time:                  time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC),
		Meter:                 utility.Meter{MeterID: "03000000001"}, // first attempt swallowed
		PurchaseAmount:        amount,
		Originator:            utility.Originator{Institution: utility.Institution{ID: "0001"}, TerminalID: "T1"},
		Client:                utility.Institution{ID: "merchant-1"},
		ThirdPartyIdentifiers: []utility.ThirdPartyIdentifier{},
	}
	_, err := client.Purchase(context.Background(), req)
	fmt.Println("purchase:", provider.KindOf(err))
	resp, err := client.Retry(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("retry:", resp.Tokens[0].Units, "kWh, issued", sim.PurchaseCount(req.ID), "time(s)")
	// Output:
	// purchase: unknown
	// retry: 20 kWh, issued 1 time(s)
}
