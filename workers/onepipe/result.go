package onepipe

import (
	"log/slog"
	"time"

	"github.com/shopspring/decimal"
)

// Result is the typed outcome of a call OnePipe did not refuse.
type Result struct {
	Status            Status
	Message           string
	Code              string // provider_response_code
	Reference         string // provider_response.reference
	ProviderToken     string // consent only; a credential, never logged
	TokenExpiry       time.Time
	HoldExpiry        time.Time
	TransactionStatus string          // query and reverse: Held, Released, Captured...
	Amount            decimal.Decimal // query: the transaction's amount, major units
	Options           []string        // options only
}

// LogValue keeps the provider token out of logs.
func (r Result) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("status", string(r.Status)),
		slog.String("code", r.Code),
		slog.String("reference", r.Reference),
		slog.String("transaction_status", r.TransactionStatus),
		slog.Bool("has_token", r.ProviderToken != ""),
	)
}

func resultOf(resp *Response) *Result {
	r := &Result{Status: Status(resp.Status), Message: resp.Message, Code: resp.Data.ProviderResponseCode}
	pr := resp.Data.ProviderResponse
	if pr == nil {
		return r
	}
	r.Reference = pr.Reference
	r.ProviderToken = pr.ProviderToken
	r.TokenExpiry = parseExpiry(pr.TokenExpiry)
	r.HoldExpiry = parseExpiry(pr.HoldExpiry)
	r.TransactionStatus = pr.TransactionStatus
	if pr.Amount != 0 {
		r.Amount = FromMinor(pr.Amount)
	}
	r.Options = pr.Options
	return r
}

// parseExpiry reads an ExpiryLayout date (UTC); zero when absent or garbled.
func parseExpiry(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(ExpiryLayout, s, time.UTC)
	if err != nil {
		return time.Time{}
	}
	return t
}

// FormatExpiry writes t in ExpiryLayout (UTC).
func FormatExpiry(t time.Time) string { return t.UTC().Format(ExpiryLayout) }
