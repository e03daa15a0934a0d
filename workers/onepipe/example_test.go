package onepipe_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/workers/onepipe"
	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
)

// Consent with a bank account, validate the OTP, then hold 250 naira with
// the token and release it.
func Example() {
	sim := onepipesim.New(onepipesim.Options{
		Now: func() time.Time { return time.Date(2025, 2, 25, 15, 0, 0, 0, time.UTC) },
	})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	c, _ := onepipe.NewClient(onepipe.Config{BaseURL: srv.URL,
		APIKey: onepipesim.DefaultSimAPIKey, Secret: onepipesim.DefaultSimSecret, Timeout: time.Second})
	ctx := context.Background()

	r, _ := c.Consent(ctx, onepipe.Consent{RequestRef: "req-1", TransactionRef: "consent-1",
		AuthType: onepipe.AuthBankAccount, Secure: onepipe.BankAccountSecure("0001131256", "000016"),
		Amount: decimal.RequireFromString("1.00")})
	fmt.Println(r.Status)
	r, _ = c.Validate(ctx, "req-2", "consent-1", "123456")
	fmt.Println(r.Status, r.TokenExpiry.Format(time.DateOnly))
	h, _ := c.Hold(ctx, onepipe.Hold{RequestRef: "req-3", TransactionRef: "hold-1",
		Token: r.ProviderToken, Amount: decimal.RequireFromString("250.00")})
	fmt.Println(h.Status, h.HoldExpiry.Format(time.DateOnly))
	rel, _ := c.Release(ctx, "req-4", "hold-1")
	fmt.Println(rel.TransactionStatus)
	// Output:
	// WaitingForOTP
	// Successful 2025-03-27
	// Successful 2025-03-04
	// Released
}
