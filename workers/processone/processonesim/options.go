package processonesim

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// DevAuthenticationKey is a key the simulator always accepts when no keys
// are configured (any non-empty key is accepted then).
const DevAuthenticationKey = "test-key"

// Options configures the simulator. The JSON fields are also what
// POST /_sim/config changes at run time.
type Options struct {
	// AuthenticationKeys accepted; empty accepts any non-empty key.
	AuthenticationKeys []string `json:"authentication_keys"`
	// DisabledKeys answer MerchantDisabled.
	DisabledKeys []string `json:"disabled_keys"`
	// BatchCutoff is the time of day ("HH:MM", in BatchTimeZone) at which
	// the open batch closes; "off" closes batches only on
	// POST /_sim/batch/close. Default "22:00".
	BatchCutoff string `json:"batch_cutoff"`
	// BatchTimeZone is the IANA time zone of BatchCutoff (a merchant's
	// batch_time_zone). Default "UTC". On a day a DST gap skips the cut-off
	// the batch closes when the clock jumps past it; on a day an overlap
	// repeats it, at its first reading.
	BatchTimeZone string `json:"batch_time_zone"`
	// DuplicateWindowSeconds: same amount + last 4 + ClientReferenceData1
	// within this window is a DuplicateTransaction. Default 120.
	DuplicateWindowSeconds int `json:"duplicate_window_seconds"`
	// MaxPayment above which a payment is OverMaximumPayment. Default 10000.00.
	MaxPayment decimal.Decimal `json:"max_payment"`
	// MaxPaymentsPerPolicy successful payments per ClientReferenceData1 in
	// one batch, then MaxAllowablePaymentsExceeded. 0: unlimited.
	MaxPaymentsPerPolicy int `json:"max_payments_per_policy"`
	// PinlessDebit provisions the merchant for PIN-less debit: the hybrid
	// test cards process as Star, Pulse, Nyce.
	PinlessDebit bool `json:"pinless_debit"`
	// PartialRefundsDisabled answers PartialRefundIsNotAllowed.
	PartialRefundsDisabled bool `json:"partial_refunds_disabled"`
	// AutoVoidUnsettledRefund makes a full refund of an unsettled payment a
	// void (the seed's Refund text) instead of BatchHasNotBeenClosed (its
	// response-code table, the default).
	AutoVoidUnsettledRefund bool `json:"auto_void_unsettled_refund"`
	// VerifyUnsupported answers OperationNotSupportedByGateway to Verify.
	VerifyUnsupported bool `json:"verify_unsupported"`
	// BlockedAccounts (account numbers) answer BlockedBankAccount.
	BlockedAccounts []string `json:"blocked_accounts"`
	// AcceptedCardTypes; default Visa, MasterCard, Amex, Discover (plus the
	// PIN-less networks when PinlessDebit).
	AcceptedCardTypes []CreditCardType `json:"accepted_card_types"`
	// CardFeePercent / CardFeeMinimum: card convenience fee (default 1%, min 1.00).
	CardFeePercent decimal.Decimal `json:"card_fee_percent"`
	CardFeeMinimum decimal.Decimal `json:"card_fee_minimum"`
	// EftFeeFlat: EFT convenience fee (default 1.00).
	EftFeeFlat decimal.Decimal `json:"eft_fee_flat"`
	// InstanceName is returned in TransactionInformation.
	InstanceName string `json:"instance_name"`
	// FirstTransactionID numbers transactions from here (default 100001).
	FirstTransactionID int64 `json:"-"`
	// Now is the clock (default time.Now); NewToken makes payment tokens
	// (default random UUIDs).
	Now      func() time.Time `json:"-"`
	NewToken func() string    `json:"-"`
}

// WithDefaults fills the zero fields.
func (o Options) WithDefaults() Options {
	if o.BatchCutoff == "" {
		o.BatchCutoff = "22:00"
	}
	if o.BatchTimeZone == "" {
		o.BatchTimeZone = "UTC"
	}
	if o.DuplicateWindowSeconds == 0 {
		o.DuplicateWindowSeconds = 120
	}
	if o.MaxPayment.IsZero() {
		o.MaxPayment = decimal.RequireFromString("10000.00")
	}
	if len(o.AcceptedCardTypes) == 0 {
		o.AcceptedCardTypes = []CreditCardType{CardVisa, CardMasterCard, CardAmex, CardDiscover}
	}
	if o.CardFeePercent.IsZero() {
		o.CardFeePercent = decimal.NewFromInt(1)
	}
	if o.CardFeeMinimum.IsZero() {
		o.CardFeeMinimum = decimal.RequireFromString("1.00")
	}
	if o.EftFeeFlat.IsZero() {
		o.EftFeeFlat = decimal.RequireFromString("1.00")
	}
	if o.InstanceName == "" {
		o.InstanceName = "Switchyard simulator"
	}
	if o.FirstTransactionID == 0 {
		o.FirstTransactionID = 100001
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewToken == nil {
		o.NewToken = uuid.NewString
	}
	return o
}

func (o Options) validate() error {
	if _, err := o.cutoff(); err != nil {
		return err
	}
	if _, err := o.location(); err != nil {
		return err
	}
	if o.DuplicateWindowSeconds < 0 || o.MaxPaymentsPerPolicy < 0 {
		return fmt.Errorf("processone: negative option")
	}
	return nil
}

// cutoff parses BatchCutoff; ok is false for "off".
func (o Options) cutoff() (time.Duration, error) {
	if o.BatchCutoff == "off" {
		return -1, nil
	}
	t, err := time.Parse("15:04", o.BatchCutoff)
	if err != nil {
		return 0, fmt.Errorf("processone: batch_cutoff %q: want HH:MM or off", o.BatchCutoff)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// location loads BatchTimeZone.
func (o Options) location() (*time.Location, error) {
	loc, err := time.LoadLocation(o.BatchTimeZone)
	if err != nil || o.BatchTimeZone == "Local" {
		return nil, fmt.Errorf("processone: batch_time_zone %q: want an IANA time zone name", o.BatchTimeZone)
	}
	return loc, nil
}

// nextCutoff returns the first scheduled close strictly after now (zero
// when off).
func (o Options) nextCutoff(now time.Time) time.Time {
	c, err := o.cutoff()
	if err != nil || c < 0 {
		return time.Time{}
	}
	loc, err := o.location()
	if err != nil {
		return time.Time{}
	}
	return nextWallClock(now, c, loc)
}

func (o Options) accepts(t CreditCardType) bool {
	if o.PinlessDebit && (t == CardStar || t == CardPulse || t == CardNyce) {
		return true
	}
	for _, a := range o.AcceptedCardTypes {
		if a == t {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
