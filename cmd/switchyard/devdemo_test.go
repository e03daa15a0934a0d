package main

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/connector/codesconn"
	"github.com/switchyard/switchyard/workers/connector/onepipeconn"
	"github.com/switchyard/switchyard/workers/connector/processoneconn"
	"github.com/switchyard/switchyard/workers/connector/utilityconn"
	"github.com/switchyard/switchyard/workers/onepipe"
	"github.com/switchyard/switchyard/workers/paycode"
	"github.com/switchyard/switchyard/workers/processone"
	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/simhost"
	"github.com/switchyard/switchyard/workers/utility"
)

// TestDemoMerchantAuthenticatesAtTheSimulators: the credentials dev gives
// its demo merchant are ones the simulators dev starts accept, for every
// provider besides ono//connect (whose simulator takes any merchant id): a
// call with each is answered past authentication.
func TestDemoMerchantAuthenticatesAtTheSimulators(t *testing.T) {
	srv := httptest.NewServer(simhost.New().Handler())
	t.Cleanup(srv.Close)
	urls := simhost.URLs(srv.URL)
	accounts := demoSpec("demo-callback-secret").Providers
	creds := func(t *testing.T, provider string, into any) {
		t.Helper()
		if err := json.Unmarshal(accounts[provider], into); err != nil {
			t.Fatalf("demo %s account: %v", provider, err)
		}
	}
	const timeout = 10 * time.Second
	t.Run("processone", func(t *testing.T) {
		var c processoneconn.Credentials
		creds(t, events.ProviderProcessOne, &c)
		cl, err := processone.NewClient(processone.Config{BaseURL: urls["processone"], AuthenticationKey: c.AuthenticationKey, Timeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.TransactionGetByCallbackID(t.Context(), &processone.GetTransactionByCallbackIDRequest{CallbackID: uuid.NewString()})
		if !processone.IsNotFound(err) {
			t.Fatalf("query: %v, want IncorrectTransactionId", err)
		}
	})
	t.Run("onepipe", func(t *testing.T) {
		var c onepipeconn.Credentials
		creds(t, events.ProviderOnePipe, &c)
		cl, err := onepipe.NewClient(onepipe.Config{BaseURL: urls["onepipe"], APIKey: c.APIKey, Secret: c.Secret, Timeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cl.Query(t.Context(), uuid.NewString(), uuid.NewString()); !errors.Is(err, onepipe.ErrNotFound) {
			t.Fatalf("query: %v, want not found (25)", err)
		}
	})
	t.Run("utility", func(t *testing.T) {
		var c utilityconn.Credentials
		creds(t, events.ProviderUtility, &c)
		cl, err := utility.NewClient(utility.Config{BaseURL: urls["utility"], Timeout: timeout,
			Credentials: utility.Credentials{ClientID: c.ClientID, APIKey: c.APIKey}})
		if err != nil {
			t.Fatal(err)
		}
		if err := cl.Reverse(t.Context(), uuid.NewString(), utility.ReversalAdvice{Advice: utility.Advice{ID: uuid.NewString()}}); err != nil {
			t.Fatalf("reversal advice: %v", err)
		}
	})
	t.Run("codes", func(t *testing.T) {
		var c codesconn.Credentials
		creds(t, events.ProviderCodes, &c)
		cl, err := paycode.NewClient(paycode.Config{BaseURL: urls["codes"], Username: c.Username, Password: c.Password, Timeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.Get(t.Context(), "0000000000")
		if pe := (*provider.Error)(nil); !errors.As(err, &pe) || pe.Code != "431" {
			t.Fatalf("query: %v, want 431 (no such code)", err)
		}
	})
}
