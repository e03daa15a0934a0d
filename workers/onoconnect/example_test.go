package onoconnect_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/switchyard/switchyard/workers/onoconnect"
	"github.com/switchyard/switchyard/workers/onoconnect/onoconnectsim"
	"github.com/switchyard/switchyard/workers/provider"
)

// A charge of R10.51 is declined by the simulator's default rule; the
// unknown-outcome recovery is a reject by reference.
func ExampleClient_Charge() {
	sim := onoconnectsim.New(onoconnectsim.Options{})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()

	client := onoconnect.NewClient(srv.URL, 2*time.Second)
	cred := onoconnect.Credentials{MerchantID: "e2c826cb-26da-4527-9d85-8d81bff25705", TransactionToken: "token"}
	req := onoconnect.ChargeRequest{
		MerchantID: cred.MerchantID, AmountInCents: 1051, Currency: "zar", ClientTransactionID: "order-1",
		PaymentMethodInfo: json.RawMessage(`{}`), DeviceInfo: json.RawMessage(`{}`), AppInfo: json.RawMessage(`{}`),
	}
	_, err := client.Charge(context.Background(), cred, req)
	fmt.Println(provider.IsDeclined(err), err)
	fmt.Println(sim.Status("order-1"), sim.ChargeCount("order-1"))
	// Output:
	// true onoconnect charge: declined (HTTP 200) code=51: Not sufficient funds
	// declined 1
}
