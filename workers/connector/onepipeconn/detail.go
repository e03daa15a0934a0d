package onepipeconn

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/onepipe"
)

// errNoDetail: the transaction holds no such sealed detail (never
// written, or dropped once no call needed it).
var errNoDetail = errors.New("no such detail")

// What the connector reads of the lifecycles' sealed details (the shared
// design of issue 11). They are variables so that they can be pointed at
// the lifecycles' own accessors (consent.Auth, consent.OTP,
// consent.ProviderToken) without a change here; a value that is absent
// must be reported as errNoDetail.
var (
	// readAuth is a consent's auth details, as JSON (AuthDetails).
	readAuth = sealedDetail("auth_sealed", "onepipe.auth")
	// readOTP is the OTP (or validation answer) of a consent's validate.
	readOTP = sealedDetail("otp_sealed", "onepipe.otp")
	// readToken is a granted consent's provider token.
	readToken = sealedDetail("provider_token_sealed", "onepipe.provider_token")
)

// sealedDetail reads the value sealed under key with purpose.
func sealedDetail(key, purpose string) func(s *secret.Sealer, t *store.Txn) ([]byte, error) {
	return func(s *secret.Sealer, t *store.Txn) ([]byte, error) {
		plain, ok, err := lifecycle.OpenDetail(s, t, key, purpose)
		switch {
		case err != nil:
			return nil, fmt.Errorf("open %s: %w", key, err)
		case !ok:
			return nil, fmt.Errorf("%s: %w", key, errNoDetail)
		}
		return plain, nil
	}
}

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
