package onepipeconn

import (
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/onepipe"
)

// errNoDetail: the consent holds no such sealed value (never written, or
// dropped once no call needed it).
var errNoDetail = consent.ErrNoSecret

// What the connector reads of a consent's sealed values, through the
// consent lifecycle's accessors (it owns their keys and purposes).
var (
	// readAuth is a consent's auth details, as JSON (AuthDetails).
	readAuth = func(s *secret.Sealer, t *store.Txn) ([]byte, error) { return consent.Auth(s, t) }
	// readOTP is the OTP (or validation answer) of a consent's validate.
	readOTP = func(s *secret.Sealer, t *store.Txn) ([]byte, error) {
		b, err := consent.OTP(s, t)
		return []byte(b), err
	}
	// readToken is a granted consent's provider token.
	readToken = func(s *secret.Sealer, t *store.Txn) ([]byte, error) {
		b, err := consent.ProviderToken(s, t)
		return []byte(b), err
	}
)

// customerOf is the payer a consent names (details "customer", OnePipe's
// own field names: customer_ref, firstname, surname, email, mobile_no), or
// nil. Not secret; the provider's OTP prompt masks its mobile number.
func customerOf(t *store.Txn) *onepipe.Customer {
	var c onepipe.Customer
	if !lifecycle.Detail(t, "customer", &c) || c == (onepipe.Customer{}) {
		return nil
	}
	return &c
}

// captureDetail is what the hold lifecycle writes under details "capture"
// when a capture is asked for: the amount to collect, in major units.
type captureDetail struct {
	Amount decimal.Decimal `json:"amount"`
}

// captureAmount is the amount a capture of hold t collects.
func captureAmount(t *store.Txn) (decimal.Decimal, error) {
	var d captureDetail
	if !lifecycle.Detail(t, "capture", &d) || !d.Amount.IsPositive() {
		return decimal.Decimal{}, refuse(codeInvalidCapture, "no positive capture amount in details \"capture\"")
	}
	return d.Amount, nil
}
