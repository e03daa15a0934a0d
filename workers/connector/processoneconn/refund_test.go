package processoneconn

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/processone"
	"github.com/switchyard/switchyard/workers/processone/processonesim"
)

// reversalRow is a row of the seed's void / refund tables: the charge's
// payment method and amount, and the code a void or refund of it gets.
type reversalRow struct {
	name   string
	pm     json.RawMessage
	amount string
	code   processone.ResponseCode
}

func reversalRows() []reversalRow {
	rows := []reversalRow{}
	for number, code := range map[string]processone.ResponseCode{
		"4444444444444299": processone.CodeInvalidCardNumber, "4444444444444307": processone.CodeIncorrectValidationValue,
		"4444444444444315": processone.CodeDeclined, "4444444444444323": processone.CodeInvalidCreditCardAmount,
		"4444444444444331": processone.CodeDuplicateTransaction, "4444444444444349": processone.CodeGatewayInternalError,
		"4444444444444356": processone.CodeAvsVerificationFailed, "4444444444444364": processone.CodeCardTypeNotAccepted,
		"4444444444444372": processone.CodeCardExpired, "4444444444444380": processone.CodeCall,
		"4444444444444398": processone.CodeNoProcessorResponse, "4444444444444505": processone.CodeSuccess,
		"4444444444444513": processone.CodeSuccess,
	} {
		rows = append(rows, reversalRow{number, card(number), "10.00", code})
	}
	for account, code := range map[string]processone.ResponseCode{"1234567896": processone.CodeACHTransactionFailed,
		"1234567897": processone.CodeGatewayInternalError, "1234567898": processone.CodeNoProcessorResponse,
		"1234567892": processone.CodeSuccess} {
		rows = append(rows, reversalRow{"eft " + account, bank(account), "10.00", code})
	}
	for amount, code := range map[string]processone.ResponseCode{"11.00": processone.CodeACHTransactionFailed,
		"12.00": processone.CodeGatewayInternalError, "13.00": processone.CodeNoProcessorResponse} {
		rows = append(rows, reversalRow{"eft 1234567890 " + amount, bank("1234567890"), amount, code})
	}
	return rows
}

// reversalExpect is the seed's void/refund answer through the table.
func reversalExpect(t *testing.T, code processone.ResponseCode) expect {
	t.Helper()
	switch code {
	case processone.CodeInvalidCreditCardAmount, processone.CodeCardTypeNotAccepted, processone.CodeCardExpired:
		return expect{lifecycle.Declined, code}
	}
	e, ok := codeExpect[code]
	if !ok {
		t.Fatalf("no expectation for %s", code)
	}
	return e
}

// TestVoidRefundTestData: every row of the seed's void / refund tables
// (card and bank account) through the connector's void, while the charge's
// batch is open, and its refund, once it has closed; an approved void or
// refund answers the id of the new ProcessOne transaction, not the
// charge's. An unknown (NoProcessorResponse) is recovered by CallbackId.
func TestVoidRefundTestData(t *testing.T) {
	t.Parallel()
	r := newRig(t, processonesim.Options{})
	rows := reversalRows()
	toVoid, toRefund := make([]*store.Txn, len(rows)), make([]*store.Txn, len(rows))
	for i, row := range rows {
		toVoid[i] = r.approvedCharge(t, row.amount, row.pm)
		toRefund[i] = r.approvedCharge(t, row.amount, row.pm)
	}
	check := func(t *testing.T, op string, row reversalRow, parent *store.Txn) {
		t.Helper()
		refund := r.refundTxn(parent, row.amount)
		e := reversalExpect(t, row.code)
		res := r.call(t, op, refund, false)
		want(t, op+" of "+row.name, res, e.outcome, e.code)
		if res.Batch != lifecycle.BatchUnknown {
			t.Fatalf("%s of %s: batch %v", op, row.name, res.Batch)
		}
		if res.Outcome == lifecycle.OK && res.ProviderReference == parent.ProviderReference {
			t.Fatalf("%s of %s answered the charge's id", op, row.name)
		}
		if res.Outcome == lifecycle.Unknown {
			again := r.call(t, op, refund, true)
			want(t, "recovered "+op+" of "+row.name, again, lifecycle.Declined, processone.CodeDeclined)
		}
	}
	for i, row := range rows {
		check(t, OpVoid, row, toVoid[i])
	}
	r.sim.CloseBatch()
	for i, row := range rows {
		check(t, OpRefund, row, toRefund[i])
	}
}

// TestBatchAnswers: a void once the batch has closed is BatchHasBeenClosed
// (the sale is settled), a refund while it is open BatchHasNotBeenClosed
// (not yet): both declines that say so of the batch. A refund of less than
// the charge is a partial refund of that amount; of all of it, a full one.
func TestBatchAnswers(t *testing.T) {
	t.Parallel()
	for _, pm := range []struct {
		name string
		raw  json.RawMessage
	}{{"card", card("4111111111111111")}, {"bank account", bank("123456789")}} {
		t.Run(pm.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, processonesim.Options{})
			voided := r.approvedCharge(t, "10.00", pm.raw)
			settled := r.approvedCharge(t, "10.00", pm.raw)
			early := r.refundTxn(settled, "4.00")
			res := r.call(t, OpRefund, early, false)
			want(t, "refund in an open batch", res, lifecycle.Declined, processone.CodeBatchHasNotBeenClosed)
			if res.Batch != lifecycle.BatchOpen {
				t.Fatalf("refund in an open batch: batch %v", res.Batch)
			}
			res = r.call(t, OpVoid, r.refundTxn(voided, "10.00"), false)
			want(t, "void in an open batch", res, lifecycle.OK, "")

			r.sim.CloseBatch()
			res = r.call(t, OpVoid, r.refundTxn(settled, "10.00"), false)
			want(t, "void after the close", res, lifecycle.Declined, processone.CodeBatchHasBeenClosed)
			if res.Batch != lifecycle.BatchClosed {
				t.Fatalf("void after the close: batch %v", res.Batch)
			}
			part := r.refundTxn(settled, "4.00")
			want(t, "partial refund", r.call(t, OpRefund, part, false), lifecycle.OK, "")
			if got := r.byCallback(t, part, OpRefund).OriginalAmount; got == nil || got.StringFixed(2) != "4.00" {
				t.Fatalf("partial refund of %v", got)
			}
			rest := r.refundTxn(settled, "6.00")
			want(t, "refund of the rest", r.call(t, OpRefund, rest, false), lifecycle.OK, "")
			if got := r.byCallback(t, rest, OpRefund).OriginalAmount; got == nil || got.StringFixed(2) != "6.00" {
				t.Fatalf("refund of the rest: %v", got)
			}
			whole := r.approvedCharge(t, "25.00", pm.raw)
			r.sim.CloseBatch()
			full := r.refundTxn(whole, "25.00")
			want(t, "full refund", r.call(t, OpRefund, full, false), lifecycle.OK, "")
			if got := r.byCallback(t, full, OpRefund).OriginalAmount; got == nil || got.StringFixed(2) != "25.00" {
				t.Fatalf("full refund of %v", got)
			}
			if body := r.lastBody(t, "Refund"); !strings.Contains(body, `"PartialRefundAmount":null`) {
				t.Fatalf("a full refund sent %s", body)
			}
		})
	}
}
