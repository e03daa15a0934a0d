package refund_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/refund"
)

// Declarations the tables use: a sale provider (void while the batch is
// open, refund after), a provider that can only refund, one that releases
// unconfirmed charges (ono//connect's shape), and one that can do nothing.
var (
	saleProv    = lifecycle.Provider{Name: "saleco", Sale: true, Void: true, Refund: true}
	refundOnly  = lifecycle.Provider{Name: "refundco", Sale: true, Refund: true}
	releaseProv = lifecycle.Provider{Name: "releaseco", ReleaseAuthorized: true}
	noneProv    = lifecycle.Provider{Name: "noneco"}
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// parent is a 100.00 ZAR charge in status with refunded and reserved.
func parent(status, refunded, reserved string) refund.Charge {
	return refund.Charge{Status: status, Currency: "ZAR", Amount: dec("100"), Refunded: dec(refunded), Reserved: dec(reserved)}
}

func sameCharge(a, b refund.Charge) bool {
	return a.Status == b.Status && a.Currency == b.Currency && a.Amount.Equal(b.Amount) &&
		a.Refunded.Equal(b.Refunded) && a.Reserved.Equal(b.Reserved)
}

// TestStart is the creation decision: from the charge's status and what
// its provider declares, a refund is voided, refunded, deferred or refused.
func TestStart(t *testing.T) {
	call := func(op string) []effect.Effect { return []effect.Effect{effect.Call{Op: op}} }
	for _, tc := range []struct {
		name       string
		charge     refund.Charge
		prov       lifecycle.Provider
		amount     string // "" = all that is refundable
		wantStatus string
		wantMethod string
		wantAmount string
		wantEffs   []effect.Effect
		wantCharge refund.Charge
		wantCode   string // a rejection's code
		wantMsg    string // in the rejection's message
	}{
		{name: "succeeded, full by default: void", charge: parent("succeeded", "0", "0"), prov: saleProv,
			wantStatus: "voiding", wantMethod: "void", wantAmount: "100", wantEffs: call("void"), wantCharge: parent("succeeded", "0", "100")},
		{name: "succeeded, full given: void", charge: parent("succeeded", "0", "0"), prov: saleProv, amount: "100.00",
			wantStatus: "voiding", wantMethod: "void", wantAmount: "100", wantEffs: call("void"), wantCharge: parent("succeeded", "0", "100")},
		{name: "succeeded, partial: deferred", charge: parent("succeeded", "0", "0"), prov: saleProv, amount: "40",
			wantStatus: "deferred", wantMethod: "refund", wantAmount: "40", wantCharge: parent("succeeded", "0", "40")},
		{name: "succeeded, the rest after a deferred partial: deferred", charge: parent("succeeded", "0", "40"), prov: saleProv,
			wantStatus: "deferred", wantMethod: "refund", wantAmount: "60", wantCharge: parent("succeeded", "0", "100")},
		{name: "succeeded, full, provider cannot void: deferred", charge: parent("succeeded", "0", "0"), prov: refundOnly,
			wantStatus: "deferred", wantMethod: "refund", wantAmount: "100", wantCharge: parent("succeeded", "0", "100")},
		{name: "succeeded, provider can do neither", charge: parent("succeeded", "0", "0"), prov: noneProv,
			wantCode: events.ReasonUnsupportedByProvider, wantMsg: "noneco"},
		{name: "settled, partial: refund", charge: parent("settled", "0", "0"), prov: saleProv, amount: "40",
			wantStatus: "refunding", wantMethod: "refund", wantAmount: "40", wantEffs: call("refund"), wantCharge: parent("settled", "0", "40")},
		{name: "settled, full: refund, never void", charge: parent("settled", "0", "0"), prov: saleProv,
			wantStatus: "refunding", wantMethod: "refund", wantAmount: "100", wantEffs: call("refund"), wantCharge: parent("settled", "0", "100")},
		{name: "partially refunded, the rest: refund", charge: parent("partially_refunded", "30", "0"), prov: saleProv,
			wantStatus: "refunding", wantMethod: "refund", wantAmount: "70", wantEffs: call("refund"), wantCharge: parent("partially_refunded", "30", "70")},
		{name: "settled, provider cannot refund", charge: parent("settled", "0", "0"), prov: noneProv,
			wantCode: events.ReasonUnsupportedByProvider, wantMsg: "noneco"},
		{name: "authorized, full: release (void)", charge: parent("authorized", "0", "0"), prov: releaseProv,
			wantStatus: "voiding", wantMethod: "void", wantAmount: "100", wantEffs: call("void"), wantCharge: parent("authorized", "0", "100")},
		{name: "authorized, partial: unsupported", charge: parent("authorized", "0", "0"), prov: releaseProv, amount: "40",
			wantCode: events.ReasonUnsupportedByProvider, wantMsg: "in full"},
		{name: "authorized, provider cannot release", charge: parent("authorized", "0", "0"), prov: saleProv,
			wantCode: events.ReasonUnsupportedByProvider, wantMsg: "saleco"},
		{name: "confirmed, provider cannot refund", charge: parent("confirmed", "0", "0"), prov: releaseProv,
			wantCode: events.ReasonUnsupportedByProvider, wantMsg: "another way"},
		{name: "more than refundable", charge: parent("settled", "30", "0"), prov: saleProv, amount: "80",
			wantCode: events.ReasonAmountExceedsRefund, wantMsg: "70.00"},
		{name: "more than refundable, reserved counts", charge: parent("succeeded", "0", "40"), prov: saleProv, amount: "60.01",
			wantCode: events.ReasonAmountExceedsRefund, wantMsg: "60.00"},
		{name: "nothing left by default", charge: parent("settled", "0", "100"), prov: saleProv,
			wantCode: events.ReasonAmountExceedsRefund, wantMsg: "nothing"},
		{name: "zero", charge: parent("settled", "0", "0"), prov: saleProv, amount: "0",
			wantCode: events.ReasonAmountExceedsRefund},
	} {
		t.Run(tc.name, func(t *testing.T) {
			amount, given := decimal.Zero, tc.amount != ""
			if given {
				amount = dec(tc.amount)
			}
			f, effs, err := refund.Start(tc.charge, tc.prov, amount, given)
			if tc.wantCode != "" {
				expectRejection(t, err, tc.wantCode, tc.wantMsg)
				if !sameCharge(f.Charge, tc.charge) || effs != nil {
					t.Fatalf("a rejection changed the charge to %+v or asked for %v", f.Charge, effs)
				}
				return
			}
			if err != nil {
				t.Fatalf("Start: %v", err)
			}
			if f.Refund.Status != tc.wantStatus || f.Refund.Method != tc.wantMethod || !f.Amount.Equal(dec(tc.wantAmount)) {
				t.Fatalf("refund %s (method %q) of %s, want %s (method %q) of %s",
					f.Refund.Status, f.Refund.Method, f.Amount, tc.wantStatus, tc.wantMethod, tc.wantAmount)
			}
			if !reflect.DeepEqual(effs, tc.wantEffs) {
				t.Fatalf("effects %#v, want %#v", effs, tc.wantEffs)
			}
			if !sameCharge(f.Charge, tc.wantCharge) {
				t.Fatalf("charge %+v, want %+v", f.Charge, tc.wantCharge)
			}
		})
	}
}

// TestStartInvalidState: a charge that has not succeeded, or is already
// given back, cannot be refunded, whatever its provider declares.
func TestStartInvalidState(t *testing.T) {
	for _, status := range []string{"pending", "confirming", "reversing", "reversed", "declined", "failed", "voided", "refunded"} {
		for _, prov := range []lifecycle.Provider{saleProv, releaseProv} {
			c := parent(status, "0", "0")
			f, effs, err := refund.Start(c, prov, decimal.Zero, false)
			expectRejection(t, err, events.ReasonInvalidState, status)
			if !sameCharge(f.Charge, c) || effs != nil {
				t.Fatalf("%s: a rejection changed the charge to %+v or asked for %v", status, f.Charge, effs)
			}
		}
	}
}

func expectRejection(t *testing.T, err error, code, msg string) {
	t.Helper()
	var r *lifecycle.Rejection
	if !errors.As(err, &r) {
		t.Fatalf("error %v, want a rejection %s", err, code)
	}
	if r.Reason.Code != code || !strings.Contains(r.Reason.Message, msg) {
		t.Fatalf("rejected %+v, want %s saying %q", r.Reason, code, msg)
	}
}
