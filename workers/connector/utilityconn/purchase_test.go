package utilityconn

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/simulator"
	"github.com/switchyard/switchyard/workers/utility"
	"github.com/switchyard/switchyard/workers/utility/utilitysim"
)

// TestPurchaseTokens: a purchase answered 201 is OK, its Data the tokens the
// simulator issued with their units, receipt, amounts, debt recovered and
// slip lines; the request carries the detail's purchase id, time, meter,
// amount in minor units and tenders.
func TestPurchaseTokens(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{})
	txn := r.purchaseTxn(t, "01000000018", "60.00") // recovers 10.00 of debt
	res, _ := r.call(t, OpPurchase, txn, false)
	want(t, "purchase", res, lifecycle.OK, "")
	r.sameTokens(t, "purchase", txn, res)
	toks := tokensIn(t, res)
	tk := toks[0]
	if tk.Units != "20" || tk.ReceiptNumber == "" || tk.TokenType != "STD" ||
		tk.Amount != "50.00" || tk.Currency != "ZAR" || tk.Tax != "6.52" {
		t.Fatalf("token %+v", tk)
	}
	if len(tk.DebtCharges) != 1 || tk.DebtCharges[0].Amount != "10.00" {
		t.Fatalf("debt charges %+v", tk.DebtCharges)
	}
	if len(tk.SlipLines) == 0 || !strings.Contains(strings.Join(tk.SlipLines, "\n"), "RECEIPT: "+tk.ReceiptNumber) {
		t.Fatalf("slip lines %q", tk.SlipLines)
	}
	if res.ProviderReference != tk.ReceiptNumber {
		t.Fatalf("provider reference %q, want the receipt %q", res.ProviderReference, tk.ReceiptNumber)
	}
	d := purchaseOf(t, txn)
	var sent utility.PurchaseRequest
	if err := json.Unmarshal([]byte(r.bodies("/tokenPurchases/" + d.PurchaseID.String())[0]), &sent); err != nil {
		t.Fatal(err)
	}
	if sent.ID != d.PurchaseID.String() || !sent.Time.Equal(d.RequestedAt.Truncate(millisecond)) ||
		sent.Meter.MeterID != "01000000018" || sent.PurchaseAmount != (utility.LedgerAmount{Amount: 6000, Currency: "ZAR"}) ||
		len(sent.Tenders) != 1 || sent.Tenders[0].Amount.Amount != 6000 || sent.Tenders[0].TenderType != "CASH" ||
		sent.Client.ID != "good-client" || sent.ThirdPartyIdentifiers[0].TransactionIdentifier != txn.ID.String() {
		t.Fatalf("request sent %+v", sent)
	}
}

// TestRecoverUnknownFirstAttempt: whatever became of the first attempt
// (never acted on, or acted on and its answer lost), the call is Unknown,
// Recover's retry with the same id and the identical body is OK with the
// tokens the simulator issued, a second Recover returns the same tokens,
// and exactly one token set was issued.
func TestRecoverUnknownFirstAttempt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		meter string
		arm   func(*utilitysim.Simulator)
		acted bool // the first attempt issued tokens
	}{
		{name: "swallowed, never acted on", meter: "01000000000", arm: func(s *utilitysim.Simulator) {
			s.Harness().Arm(simulator.Fault{Path: "/tokenPurchases/*", Lose: true})
		}},
		{name: "lost by the provider (loseNext)", meter: "01000000000", arm: func(s *utilitysim.Simulator) {
			c := s.Config()
			c.LoseNext = 1
			s.Configure(c)
		}},
		{name: "503 without acting", meter: "03000000003"},
		{name: "answer late after tokens (swallowNext)", meter: "01000000000", acted: true, arm: func(s *utilitysim.Simulator) {
			c := s.Config()
			c.SwallowNext = 1
			s.Configure(c)
		}},
		{name: "connection dropped after tokens", meter: "01000000000", acted: true, arm: func(s *utilitysim.Simulator) {
			s.Harness().Arm(simulator.Fault{Path: "/tokenPurchases/*", Drop: true})
		}},
		{name: "504 after tokens", meter: "03000000004", acted: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, utilitysim.Options{})
			if tt.arm != nil {
				tt.arm(r.sim)
			}
			txn := r.purchaseTxn(t, tt.meter, "50.00")
			res, _ := r.call(t, OpPurchase, txn, false)
			if res.Outcome != lifecycle.Unknown || res.Data != nil {
				t.Fatalf("first attempt: %+v, want unknown without data", res)
			}
			if got := r.issued(t, txn); (got == 1) != tt.acted {
				t.Fatalf("after the first attempt %d token sets, acted want %v", got, tt.acted)
			}
			var first []string
			if tt.acted {
				first = r.simTokens(t, txn)
			}
			for i := range 2 {
				res, _ = r.call(t, OpPurchase, txn, true)
				want(t, "recover", res, lifecycle.OK, "")
				r.sameTokens(t, "recover", txn, res)
				if first != nil && !slices.Equal(tokenNumbers(tokensIn(t, res)), first) {
					t.Fatalf("recover #%d: tokens %v, the first attempt issued %v", i, tokenNumbers(tokensIn(t, res)), first)
				}
			}
			if n := r.issued(t, txn); n != 1 {
				t.Fatalf("%d token sets issued, want 1", n)
			}
			if n := r.count(t, txn, ""); n != 1 {
				t.Fatalf("%d purchase requests, want 1 (recovery retries, never repeats)", n)
			}
			d := purchaseOf(t, txn)
			purchases, retries := r.bodies(d.PurchaseID.String()), r.bodies(d.PurchaseID.String()+"/retry")
			if len(purchases) != 1 || len(retries) != 2 || retries[0] != purchases[0] || retries[1] != purchases[0] {
				t.Fatalf("retry bodies differ from the purchase's:\n%q\n%q", purchases, retries)
			}
		})
	}
}

// TestRecoverAfter503s: 503 on the purchase and on two retries (Unknown
// each time, nothing issued), then the third retry is OK with the tokens:
// one token set.
func TestRecoverAfter503s(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{})
	txn := r.purchaseTxn(t, "01000000000", "50.00")
	h := r.sim.Harness()
	h.Arm(simulator.Fault{Path: "/tokenPurchases/*", Status: 503})
	h.Arm(simulator.Fault{Path: "/tokenPurchases/*/retry", Status: 503, Count: 2})
	res, _ := r.call(t, OpPurchase, txn, false)
	want(t, "purchase 503", res, lifecycle.Unknown, "")
	for i := range 2 {
		res, _ = r.call(t, OpPurchase, txn, true)
		want(t, "retry 503", res, lifecycle.Unknown, "")
		if n := r.issued(t, txn); n != 0 {
			t.Fatalf("retry #%d: %d token sets issued behind a 503", i, n)
		}
	}
	res, _ = r.call(t, OpPurchase, txn, true)
	want(t, "retry after the outage", res, lifecycle.OK, "")
	r.sameTokens(t, "retry", txn, res)
	if n := r.issued(t, txn); n != 1 {
		t.Fatalf("%d token sets issued, want 1", n)
	}
}

// TestRecover504Always: a provider that answers 504 to everything leaves
// the purchase Unknown on every attempt (the lifecycle gives up at its
// horizon); nothing is issued.
func TestRecover504Always(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{})
	txn := r.purchaseTxn(t, "01000000000", "50.00")
	h := r.sim.Harness()
	h.Arm(simulator.Fault{Path: "/tokenPurchases/*", Status: 504})
	h.Arm(simulator.Fault{Path: "/tokenPurchases/*/retry", Status: 504, Count: 100})
	res, _ := r.call(t, OpPurchase, txn, false)
	want(t, "purchase 504", res, lifecycle.Unknown, "")
	for range 5 {
		res, _ = r.call(t, OpPurchase, txn, true)
		want(t, "retry 504", res, lifecycle.Unknown, "")
	}
	if n := r.issued(t, txn); n != 0 {
		t.Fatalf("%d token sets issued", n)
	}
}

// TestRecoverNotFound: a provider that declines the retry of a purchase it
// never received answers 404 UNABLE_TO_LOCATE_RECORD: NotFound, with the
// code, and nothing issued.
func TestRecoverNotFound(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{RetryOfUnknown: utilitysim.RetryDecline})
	txn := r.purchaseTxn(t, "01000000000", "50.00")
	r.sim.Harness().Arm(simulator.Fault{Path: "/tokenPurchases/*", Status: 503})
	res, _ := r.call(t, OpPurchase, txn, false)
	want(t, "purchase 503", res, lifecycle.Unknown, "")
	res, _ = r.call(t, OpPurchase, txn, true)
	want(t, "retry", res, lifecycle.NotFound, utility.ErrNotFound)
	if res.Message == "" {
		t.Fatal("not found without the provider's message")
	}
	if n := r.issued(t, txn); n != 0 {
		t.Fatalf("%d token sets issued", n)
	}
}

// TestPurchaseAgainIsRetried: a second Call (not Recover) with the same id
// is refused by the provider as DUPLICATE_RECORD, which says the purchase
// exists there: the connector answers it with the retry, so the result is
// the tokens already issued (OK), never a decline and never a second set.
// A duplicate of a purchase that was declined repeats the decline.
func TestPurchaseAgainIsRetried(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{})
	txn := r.purchaseTxn(t, "01000000000", "50.00")
	first, _ := r.call(t, OpPurchase, txn, false)
	want(t, "purchase", first, lifecycle.OK, "")
	again, rec := r.call(t, OpPurchase, txn, false)
	want(t, "the same purchase again", again, lifecycle.OK, "")
	if !slices.Equal(tokenNumbers(tokensIn(t, again)), tokenNumbers(tokensIn(t, first))) {
		t.Fatalf("tokens %v, then %v", tokenNumbers(tokensIn(t, first)), tokenNumbers(tokensIn(t, again)))
	}
	if n, m := r.count(t, txn, ""), r.count(t, txn, "/retry"); n != 2 || m != 1 || r.issued(t, txn) != 1 {
		t.Fatalf("%d purchases, %d retries, %d token sets; want 2, 1, 1", n, m, r.issued(t, txn))
	}
	if !strings.Contains(string(rec), utility.ErrDuplicate) {
		t.Fatalf("the record does not show the duplicate answer: %s", rec)
	}

	blocked := r.purchaseTxn(t, "02000000001", "50.00")
	res, _ := r.call(t, OpPurchase, blocked, false)
	want(t, "blocked meter", res, lifecycle.Declined, utility.ErrMeterBlocked)
	res, _ = r.call(t, OpPurchase, blocked, false)
	want(t, "blocked meter again", res, lifecycle.Declined, utility.ErrMeterBlocked)
}

// TestPurchaseOutcomes: how each other answer is classified, on the call
// and on the retry. A retry that failed to reach the provider (refused,
// 401, 501) says nothing of the purchase it asks about: Unknown, never
// Failed.
func TestPurchaseOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		meter   string
		fault   *simulator.Fault
		recover bool
		outcome lifecycle.Outcome
		code    string
	}{
		{name: "declined 400", meter: "02000000002", outcome: lifecycle.Declined, code: utility.ErrUnknownMeter},
		{name: "retry declined 400", meter: "02000000003", recover: true, outcome: lifecycle.Declined, code: utility.ErrAmountTooSmall},
		{name: "401", meter: "01000000000", fault: &simulator.Fault{Path: "/tokenPurchases/*", Status: 401,
			Body: `{"errorType":"AUTHENTICATION_ERROR"}`}, outcome: lifecycle.Failed, code: utility.ErrAuth},
		{name: "retry 401", meter: "01000000000", recover: true, fault: &simulator.Fault{Path: "/tokenPurchases/*/retry",
			Status: 401, Body: `{"errorType":"AUTHENTICATION_ERROR"}`}, outcome: lifecycle.Unknown, code: utility.ErrAuth},
		{name: "501", meter: "01000000000", fault: &simulator.Fault{Path: "/tokenPurchases/*", Status: 501},
			outcome: lifecycle.Failed},
		{name: "retry 501", meter: "01000000000", recover: true, fault: &simulator.Fault{Path: "/tokenPurchases/*/retry",
			Status: 501}, outcome: lifecycle.Unknown},
		{name: "500", meter: "01000000000", fault: &simulator.Fault{Path: "/tokenPurchases/*", Status: 500},
			outcome: lifecycle.Unknown},
		{name: "201 without tokens", meter: "01000000000", fault: &simulator.Fault{Path: "/tokenPurchases/*",
			Status: 201, Body: `{}`}, outcome: lifecycle.Unknown},
		{name: "retry 202 unreadable", meter: "01000000000", recover: true, fault: &simulator.Fault{
			Path: "/tokenPurchases/*/retry", Status: 202, Body: `{"tokens":`}, outcome: lifecycle.Unknown},
		{name: "retry 404 without errorType", meter: "01000000000", recover: true, fault: &simulator.Fault{
			Path: "/tokenPurchases/*/retry", Status: 404, Body: `not found`}, outcome: lifecycle.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, utilitysim.Options{})
			if tt.fault != nil {
				r.sim.Harness().Arm(*tt.fault)
			}
			res, _ := r.call(t, OpPurchase, r.purchaseTxn(t, tt.meter, "50.00"), tt.recover)
			want(t, tt.name, res, tt.outcome, tt.code)
		})
	}
}

// TestConnectionRefused: nothing listens at the provider's address. The
// call certainly sent nothing (Failed); the retry of a purchase that may
// have been sent earlier is still Unknown.
func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{})
	r.conn = New(r.deps, closedURL(t), callTimeout)
	txn := r.purchaseTxn(t, "01000000000", "50.00")
	res, _ := r.call(t, OpPurchase, txn, false)
	want(t, "purchase refused", res, lifecycle.Failed, "")
	res, _ = r.call(t, OpPurchase, txn, true)
	want(t, "retry refused", res, lifecycle.Unknown, "")
}

// TestTrack2NeverShown: a meter given by its track2 data is sent to the
// provider, which vends to it; the track2 data is in no result, no
// provider-call record and no unsealed detail.
func TestTrack2NeverShown(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{})
	const track2 = "01000000000=2512101123456789"
	txn := r.track2Txn(t, track2, "50.00")
	r.sim.Harness().Arm(simulator.Fault{Path: "/tokenPurchases/*", Drop: true})
	res1, rec1 := r.call(t, OpPurchase, txn, false)
	want(t, "purchase", res1, lifecycle.Unknown, "")
	res2, rec2 := r.call(t, OpPurchase, txn, true)
	want(t, "retry", res2, lifecycle.OK, "")
	r.sameTokens(t, "retry", txn, res2)
	details, _ := json.Marshal(txn.Details)
	for _, s := range []string{res1.Message, res2.Message, string(res2.Data), string(rec1), string(rec2), string(details)} {
		if strings.Contains(s, "2512101123456789") {
			t.Fatalf("track2 data shown: %s", s)
		}
	}
	if !strings.Contains(string(rec2), `"track2Data":"[redacted]"`) {
		t.Fatalf("the record does not show the track2 data redacted: %s", rec2)
	}
}

// TestUnreadableDetail: a transaction without a usable purchase detail
// cannot be sent, now or ever: Failed, and nothing reaches the provider.
func TestUnreadableDetail(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{})
	txn := r.purchaseTxn(t, "01000000000", "50.00")
	var d map[string]any
	if err := json.Unmarshal(txn.Details["purchase"], &d); err != nil {
		t.Fatal(err)
	}
	d["amount"] = "50.005" // more decimals than ZAR has
	txn.Details["purchase"], _ = json.Marshal(d)
	for _, recover := range []bool{false, true} {
		res, _ := r.call(t, OpPurchase, txn, recover)
		want(t, "amount with 3 decimals", res, lifecycle.Failed, codeInvalidPurchase)
	}
	delete(txn.Details, "purchase")
	res, _ := r.call(t, OpPurchase, txn, false)
	want(t, "no detail", res, lifecycle.Failed, codeInvalidPurchase)
	if n := len(r.sim.Harness().Log().Entries()); n != 0 {
		t.Fatalf("%d requests reached the provider", n)
	}
}

// TestResendAfterNotFound: after the provider said it never received the
// purchase (404 on the retry), the purchase sent again as a normal purchase
// with the same id (the lifecycle's resend_on_not_found) is vended: OK with
// the tokens, one set; the original arriving late would now be a duplicate.
func TestResendAfterNotFound(t *testing.T) {
	t.Parallel()
	r := newRig(t, utilitysim.Options{RetryOfUnknown: utilitysim.RetryDecline})
	txn := r.purchaseTxn(t, "01000000000", "50.00")
	r.sim.Harness().Arm(simulator.Fault{Path: "/tokenPurchases/*", Status: 503})
	res, _ := r.call(t, OpPurchase, txn, false)
	want(t, "purchase 503", res, lifecycle.Unknown, "")
	res, _ = r.call(t, OpPurchase, txn, true)
	want(t, "retry", res, lifecycle.NotFound, utility.ErrNotFound)
	res, _ = r.call(t, OpPurchase, txn, false)
	want(t, "sent again", res, lifecycle.OK, "")
	r.sameTokens(t, "sent again", txn, res)
	res, _ = r.call(t, OpPurchase, txn, true)
	want(t, "retry after the resend", res, lifecycle.OK, "")
	r.sameTokens(t, "retry after the resend", txn, res)
	if n := r.issued(t, txn); n != 1 {
		t.Fatalf("%d token sets issued, want 1", n)
	}
}
