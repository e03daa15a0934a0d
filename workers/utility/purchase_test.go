package utility

import (
	"context"
	"testing"

	"github.com/switchyard/switchyard/workers/provider"
)

// TestPurchaseTestMeters runs the test meter table end to end.
func TestPurchaseTestMeters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct {
		name   string
		meter  string
		amount int64
		units  string // expected units; "" when declined
		tax    int64
		debt   int64
		kind   provider.Kind
		code   string
		issued int
	}{
		{name: "normal", meter: "01000000000", amount: 10000, units: "40", tax: 1304, issued: 1},
		{name: "any 13-digit meter", meter: "4000000000004", amount: 2550, units: "10.2", tax: 333, issued: 1},
		{name: "odd amount truncates units", meter: "01000000000", amount: 1001, units: "4", tax: 131, issued: 1},
		{name: "debt recovery", meter: "01000000018", amount: 10000, units: "36", tax: 1174, debt: 1000, issued: 1},
		{name: "blocked", meter: "02000000001", amount: 10000, kind: provider.KindDeclined, code: ErrMeterBlocked},
		{name: "unknown meter", meter: "02000000002", amount: 10000, kind: provider.KindDeclined, code: ErrUnknownMeter},
		{name: "malformed meter", meter: "12345", amount: 10000, kind: provider.KindDeclined, code: ErrUnknownMeter},
		{name: "meter minimum", meter: "02000000003", amount: 9999, kind: provider.KindDeclined, code: ErrAmountTooSmall},
		{name: "meter minimum met", meter: "02000000003", amount: 10000, units: "40", tax: 1304, issued: 1},
		{name: "global minimum", meter: "01000000000", amount: 499, kind: provider.KindDeclined, code: ErrAmountTooSmall},
		{name: "global maximum", meter: "01000000000", amount: 500001, kind: provider.KindDeclined, code: ErrAmountTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(tt.meter, tt.amount)
			resp, err := b.client.Purchase(context.Background(), req)
			if tt.kind != 0 {
				assertKind(t, err, tt.kind, tt.code)
			} else {
				assertTokens(t, resp, err, tt.units, tt.tax)
				if got := len(resp.DebtRecoveryCharges); (got > 0) != (tt.debt > 0) || (got > 0 && resp.DebtRecoveryCharges[0].Amount.Amount != tt.debt) {
					t.Errorf("debt recovery = %+v, want %d", resp.DebtRecoveryCharges, tt.debt)
				}
				if resp.ID != req.ID || resp.PurchaseTotal.Amount != tt.amount {
					t.Errorf("echo: id %s total %+v", resp.ID, resp.PurchaseTotal)
				}
			}
			if got := b.sim.PurchaseCount(req.ID); got != tt.issued {
				t.Errorf("PurchaseCount = %d, want %d", got, tt.issued)
			}
		})
	}
}

func assertKind(t *testing.T, err error, kind provider.Kind, code string) {
	t.Helper()
	pe, ok := err.(*provider.Error)
	if !ok {
		t.Fatalf("err = %v (%T), want *provider.Error", err, err)
	}
	if pe.Kind != kind || (code != "" && pe.Code != code) {
		t.Fatalf("err = %v, want kind %s code %q", err, kind, code)
	}
	if pe.Provider != ProviderName {
		t.Errorf("provider = %q", pe.Provider)
	}
}

func assertTokens(t *testing.T, resp *PurchaseResponse, err error, units string, tax int64) {
	t.Helper()
	if err != nil {
		t.Fatalf("purchase: %v", err)
	}
	if len(resp.Tokens) != 1 {
		t.Fatalf("tokens = %+v", resp.Tokens)
	}
	tok := resp.Tokens[0]
	if tok.Units.String() != units || len(tok.Token) != 20 || tok.ReceiptNum == "" {
		t.Errorf("token = %+v, want %s units", tok, units)
	}
	if tok.Amount == nil || tok.Amount.Tax != tax {
		t.Errorf("token amount = %+v, want tax %d", tok.Amount, tax)
	}
}

func TestDuplicatePurchaseIsDeclined(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := newRequest("01000000000", 5000)
	first, err := b.client.Purchase(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.client.Purchase(context.Background(), req)
	assertKind(t, err, provider.KindDeclined, ErrDuplicate)
	again, err := b.client.Retry(context.Background(), req)
	if err != nil || again.Tokens[0].Token != first.Tokens[0].Token {
		t.Fatalf("retry after duplicate: %v %+v", err, again)
	}
	if n := b.sim.PurchaseCount(req.ID); n != 1 {
		t.Fatalf("PurchaseCount = %d", n)
	}
}

func TestRequestValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct {
		name   string
		mutate func(*PurchaseRequest)
	}{
		{"bad uuid", func(r *PurchaseRequest) { r.ID = "not-a-uuid" }},
		{"no meter", func(r *PurchaseRequest) { r.Meter = Meter{} }},
		{"zero amount", func(r *PurchaseRequest) { r.PurchaseAmount.Amount = 0 }},
		{"no currency", func(r *PurchaseRequest) { r.PurchaseAmount.Currency = "" }},
		{"unknown currency", func(r *PurchaseRequest) { r.PurchaseAmount.Currency = "XXX" }},
		{"no originator", func(r *PurchaseRequest) { r.Originator = Originator{} }},
		{"no client", func(r *PurchaseRequest) { r.Client = Institution{} }},
		{"bad msisdn", func(r *PurchaseRequest) { r.MSISDN = "0123" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newRequest("01000000000", 5000)
			tt.mutate(&req)
			_, err := b.client.Purchase(context.Background(), req)
			assertKind(t, err, provider.KindDeclined, ErrFormat)
		})
	}
}

func TestTrack2Meter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := newRequest("", 5000)
	req.Meter = Meter{Track2Data: "02000000001=0000"}
	_, err := b.client.Purchase(context.Background(), req)
	assertKind(t, err, provider.KindDeclined, ErrMeterBlocked)
}
