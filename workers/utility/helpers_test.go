package utility

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/workers/utility/utilitysim"
)

const (
	testClientID = "merchant-1"
	testAPIKey   = "sk_test_utility_secret"
	testTimeout  = 200 * time.Millisecond
)

var testNow = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

type bundle struct {
	sim    *utilitysim.Simulator
	srv    *httptest.Server
	client *Client
	logs   *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func setup(t *testing.T) *bundle {
	t.Helper()
	return setupWith(t, utilitysim.Options{})
}

func setupWith(t *testing.T, opts utilitysim.Options) *bundle {
	t.Helper()
	opts.Now = func() time.Time { return testNow }
	opts.ClientID, opts.APIKey = testClientID, testAPIKey
	if opts.Hold == 0 {
		opts.Hold = 3 * time.Second
	}
	sim := utilitysim.New(opts)
	sim.Harness().Lost = 3 * time.Second
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	logs := &syncBuffer{}
	c, err := NewClient(Config{
		BaseURL:     srv.URL,
		Credentials: Credentials{ClientID: testClientID, APIKey: testAPIKey},
		Timeout:     testTimeout,
		Logger:      slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:         func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	return &bundle{sim: sim, srv: srv, client: c, logs: logs}
}

// newPurchase builds a valid purchase request for meter and amount (minor
// units, ZAR).
func newRequest(meter string, amount int64) PurchaseRequest {
	return PurchaseRequest{
		ID:             uuid.NewString(),
		Time:           testNow,
		Meter:          Meter{MeterID: meter},
		PurchaseAmount: LedgerAmount{Amount: amount, Currency: "ZAR"},
		UtilityType:    "electricity",
		MSISDN:         "+27821234567",
		Tenders:        []Tender{{TenderType: "CASH", Amount: LedgerAmount{Amount: amount, Currency: "ZAR"}}},
		Originator: Originator{Institution: Institution{ID: "0001", Name: "Switchyard"}, TerminalID: "T1",
			Merchant: &Merchant{MerchantID: "M1", MerchantName: &MerchantName{Name: "Shop", City: "Cape Town", Country: "ZA"}}},
		Client:                Institution{ID: "switchyard", Name: "Switchyard"},
		ThirdPartyIdentifiers: []ThirdPartyIdentifier{{InstitutionID: "switchyard", TransactionIdentifier: "tx-1"}},
		TranType:              "GOODS_AND_SERVICES",
	}
}
