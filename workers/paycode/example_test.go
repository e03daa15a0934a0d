package paycode_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/workers/paycode"
	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
)

func Example() {
	sim := paycodesim.New(paycodesim.Options{
		Now:     func() time.Time { return time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC) },
		NewCode: func() string { return "8227541409" },
	})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()

	client, err := paycode.NewClient(paycode.Config{BaseURL: srv.URL, Username: "merchant1", Password: "secret1", Timeout: 2 * time.Second})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	created, err := client.Create(ctx, paycode.CreateRequest{
		Amount: decimal.RequireFromString("10.50"), MerchantReference: "order-17", ShortDescription: "Basket of Goods",
	})
	if err != nil {
		panic(err)
	}
	res, _ := sim.Pay(ctx, paycodesim.PayRequest{Code: created.Code})
	details, _ := client.Get(ctx, created.Code)
	fmt.Println(created.Code, details.AmountString, res.Notification.Amount.StringFixed(2), details.Status)
	// Output: 8227541409 R 10.50 10.50 USED
}
