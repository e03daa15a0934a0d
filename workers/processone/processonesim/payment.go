package processonesim

import (
	"time"

	"github.com/shopspring/decimal"
)

// gate applies the provider's payment rules to a new payment r, then the
// test data's answer.
func (s *Simulator) gate(r *record, test ResponseCode) ResponseCode {
	window := time.Duration(s.opts.DuplicateWindowSeconds) * time.Second
	switch {
	case r.Amount.GreaterThan(s.opts.MaxPayment):
		return CodeOverMaximumPayment
	case s.opts.MaxPaymentsPerPolicy > 0 && s.st.policyPayments(r.Key, r.Ref.Ref1()) >= s.opts.MaxPaymentsPerPolicy:
		return CodeMaxAllowablePaymentsExceeded
	case s.st.duplicate(r, window):
		return CodeDuplicateTransaction
	}
	return test
}

// commit records r with the outcome code: every call that got past request
// validation leaves a transaction (Successful or Failed) that the
// Transaction queries, and so a CallbackId lookup, can find.
func (s *Simulator) commit(r *record, code ResponseCode) *record {
	r.Code = code
	r.Status = StatusSuccessful
	if code != CodeSuccess {
		r.Status = StatusFailed
	}
	return s.st.add(r)
}

// family tells card operations from EFT ones.
type family int

const (
	famCard family = iota + 1
	famEft
)

func familyOf(t TransactionType) family {
	switch t {
	case TypeChargeCreditCard, TypeChargeCreditCardNoFee, TypeRecurringChargeCreditCard,
		TypeRefundCreditCard, TypeVoidCreditCard, TypeSaveCreditCard, TypeVerifyCreditCard, TypeRemoveSavedCreditCard:
		return famCard
	}
	return famEft
}

// voidType is the type of the void of t, 0 when t cannot be voided.
func voidType(t TransactionType) TransactionType {
	switch t {
	case TypeChargeCreditCard, TypeChargeCreditCardNoFee, TypeRecurringChargeCreditCard:
		return TypeVoidCreditCard
	case TypeDebitEft, TypeDebitEftNoFee, TypeRecurringEft:
		return TypeVoidEft
	case TypeCreditBankAccount:
		return TypeVoidBankAccountCredit
	}
	return 0
}

// refundType is the type of a refund of t, 0 when t cannot be refunded.
func refundType(t TransactionType) TransactionType {
	switch t {
	case TypeChargeCreditCard, TypeChargeCreditCardNoFee, TypeRecurringChargeCreditCard:
		return TypeRefundCreditCard
	case TypeDebitEft, TypeDebitEftNoFee, TypeRecurringEft:
		return TypeRefundEft
	}
	return 0
}

// child is a void or refund record of orig.
func child(c call, orig *record, t TransactionType, amount decimal.Decimal, cb *string) *record {
	return &record{Key: c.key, Type: t, Amount: amount, At: c.now, CallbackID: deref(cb), Parent: orig.ID,
		Card: orig.Card, Holder: orig.Holder, Acct: orig.Acct, Ref: orig.Ref, CustomerID: orig.CustomerID,
		Group: orig.Group, Token: orig.Token}
}

// void voids transaction id; the record is nil when none was made.
func (s *Simulator) void(c call, id string, cb *string, fam family) (*record, ResponseCode) {
	if s.st.callbackTaken(c.key, cb) {
		return nil, CodeDuplicateTransaction
	}
	orig := s.st.get(c.key, id)
	if orig == nil || familyOf(orig.Type) != fam || voidType(orig.Type) == 0 {
		return nil, CodeIncorrectTransactionID
	}
	voidFailed := CodeCreditCardVoidFailed
	if fam == famEft {
		voidFailed = CodeGatewayInternalError
	}
	switch {
	case orig.Status == StatusVoided || orig.Refunded.IsPositive():
		return nil, voidFailed
	case orig.Status != StatusSuccessful:
		return nil, CodeIncorrectTransactionID
	case s.st.closed(orig):
		return nil, CodeBatchHasBeenClosed
	}
	return s.doVoid(c, orig, cb)
}

func (s *Simulator) doVoid(c call, orig *record, cb *string) (*record, ResponseCode) {
	code := voidRefundTestCode(orig)
	r := s.commit(child(c, orig, voidType(orig.Type), orig.Amount, cb), code)
	if code == CodeSuccess {
		orig.Status = StatusVoided
	}
	return r, code
}

// refund refunds transaction id, all that is left when partial is nil.
func (s *Simulator) refund(c call, id string, cb *string, partial *Amount, fam family) (*record, ResponseCode) {
	if s.st.callbackTaken(c.key, cb) {
		return nil, CodeDuplicateTransaction
	}
	orig := s.st.get(c.key, id)
	if orig == nil || familyOf(orig.Type) != fam || refundType(orig.Type) == 0 {
		return nil, CodeIncorrectTransactionID
	}
	switch {
	case orig.Status == StatusVoided:
		return nil, CodeUnableToRefundTransaction
	case orig.Status != StatusSuccessful:
		return nil, CodeIncorrectTransactionID
	case !s.st.closed(orig) && s.opts.AutoVoidUnsettledRefund && partial == nil && orig.Refunded.IsZero():
		return s.doVoid(c, orig, cb)
	case !s.st.closed(orig):
		return nil, CodeBatchHasNotBeenClosed
	}
	amount, code := s.refundAmount(orig, partial, fam)
	if code != CodeSuccess {
		return nil, code
	}
	r := child(c, orig, refundType(orig.Type), amount, cb)
	window := time.Duration(s.opts.DuplicateWindowSeconds) * time.Second
	code = voidRefundTestCode(orig)
	if s.st.duplicate(r, window) {
		code = CodeDuplicateTransaction
	}
	s.commit(r, code)
	if code == CodeSuccess {
		orig.Refunded = orig.Refunded.Add(amount)
	}
	return r, code
}

// refundAmount checks the amount asked against what is left to refund.
func (s *Simulator) refundAmount(orig *record, partial *Amount, fam family) (decimal.Decimal, ResponseCode) {
	left := orig.Amount.Sub(orig.Refunded)
	if partial == nil {
		if !left.IsPositive() {
			return left, CodeUnableToRefundTransaction
		}
		return left, CodeSuccess
	}
	bad := CodeInvalidCreditCardAmount
	if fam == famEft {
		bad = CodeInvalidEFTAmount
	}
	switch {
	case !partial.IsPositive() || !partial.Cents():
		return left, bad
	case s.opts.PartialRefundsDisabled && partial.LessThan(orig.Amount):
		return left, CodePartialRefundIsNotAllowed
	case !left.IsPositive():
		return left, CodeUnableToRefundTransaction
	case partial.GreaterThan(left):
		return left, CodeInvalidPartialRefundAmount
	}
	return partial.Decimal, CodeSuccess
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

// optional is nil for "".
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

var hundred = decimal.NewFromInt(100)
