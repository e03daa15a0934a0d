package onepipeconn

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/onepipe"
	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/simulator"
)

// recoverCase is an operation whose call is made on a transaction set up
// by prepare, at path.
type recoverCase struct {
	op, path string
	prepare  func(t *testing.T, r *rig) *store.Txn
	code     string // the result's code
	outcome  lifecycle.Outcome
	token    bool // the result carries the provider token
}

var recoverCases = []recoverCase{
	{op: opConsent, path: onepipe.PathTransact, code: "WaitingForOTP", outcome: lifecycle.OK,
		prepare: func(_ *testing.T, r *rig) *store.Txn { return r.consentTxn(cardAuth(), "1.00") }},
	{op: opConsent, path: onepipe.PathTransact, code: onepipe.CodeInsufficientFunds, outcome: lifecycle.Declined,
		prepare: func(_ *testing.T, r *rig) *store.Txn { return r.consentTxn(bankAuth(), "51.51") }},
	{op: opValidate, path: onepipe.PathValidate, outcome: lifecycle.OK, token: true,
		prepare: func(t *testing.T, r *rig) *store.Txn {
			txn := r.consentTxn(bankAuth(), "1.00")
			want(t, "consent", r.call(t, opConsent, txn, false), lifecycle.OK, "WaitingForOTP")
			return r.withOTP(txn, onepipesim.DefaultSimOTP)
		}},
	{op: opHold, path: onepipe.PathTransact, outcome: lifecycle.OK,
		prepare: func(t *testing.T, r *rig) *store.Txn { return r.holdTxn(r.grantedConsent(t, cardAuth()), "75.00") }},
	{op: opCapture, path: onepipe.PathTransact, outcome: lifecycle.OK,
		prepare: func(t *testing.T, r *rig) *store.Txn { return capturing(r.heldHold(t, "75.00"), "75.00") }},
}

// TestRecoverLostAnswer: OnePipe acts on the call and its answer is lost
// (the connection drops): unknown. Recover asks /transact/query by the
// call's transaction_ref with a fresh request_ref of its own (a reused one
// would be answered with the call's answer) and answers what happened,
// with no second call: no second hold, no second capture.
func TestRecoverLostAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range recoverCases {
		t.Run(tc.op+" "+tc.outcome.String(), func(t *testing.T) {
			t.Parallel()
			r := newRig(t, onepipesim.Options{})
			txn := tc.prepare(t, r)
			before := len(r.sent(t, tc.path))
			r.sim.Harness().Arm(simulator.Fault{Path: tc.path, Drop: true})
			want(t, "lost answer", r.call(t, tc.op, txn, false), lifecycle.Unknown, "")
			call := r.sent(t, tc.path)[before]

			res := r.call(t, tc.op, txn, true)
			want(t, "recover", res, tc.outcome, tc.code)
			if res.Secret.IsZero() == tc.token {
				t.Fatalf("recover: token %v, want %v", !res.Secret.IsZero(), tc.token)
			}
			res = r.call(t, tc.op, txn, true)
			want(t, "second recover", res, tc.outcome, tc.code)
			if n := len(r.sent(t, tc.path)); n != before+1 {
				t.Fatalf("%d calls to %s, want the lost one only", n-before, tc.path)
			}
			q := r.sent(t, onepipe.PathQuery)
			if len(q) != 2 || q[0].RequestRef == q[1].RequestRef {
				t.Fatalf("queries %+v: want two, each with a fresh request_ref", q)
			}
			for _, s := range q {
				if s.TransactionRef != call.TransactionRef || s.RequestRef == call.RequestRef {
					t.Fatalf("query %+v about the call %+v", s, call)
				}
			}
		})
	}
}

// TestRecoverNeverArrived: the call never reached OnePipe (503 before it
// acted). Recover's query finds nothing (code 25: for a validate, a consent
// still waiting for it) and makes the call with its original request_ref
// and transaction_ref, once.
func TestRecoverNeverArrived(t *testing.T) {
	t.Parallel()
	for _, tc := range recoverCases {
		t.Run(tc.op+" "+tc.outcome.String(), func(t *testing.T) {
			t.Parallel()
			r := newRig(t, onepipesim.Options{})
			txn := tc.prepare(t, r)
			before := len(r.sent(t, tc.path))
			r.sim.Harness().Arm(simulator.Fault{Path: tc.path, Status: 503})
			want(t, "503", r.call(t, tc.op, txn, false), lifecycle.Unknown, "")

			res := r.call(t, tc.op, txn, true)
			want(t, "recover", res, tc.outcome, tc.code)
			if res.Secret.IsZero() == tc.token {
				t.Fatalf("recover: token %v, want %v", !res.Secret.IsZero(), tc.token)
			}
			want(t, "second recover", r.call(t, tc.op, txn, true), tc.outcome, tc.code)
			s := r.sent(t, tc.path)[before:]
			if len(s) != 2 || s[0] != s[1] {
				t.Fatalf("calls %+v: want the refused one and one more, with the same refs", s)
			}
		})
	}
}

// TestRecoverQueryFails: when the query itself gets no answer, what
// happened stays unknown and nothing is called.
func TestRecoverQueryFails(t *testing.T) {
	t.Parallel()
	for _, status := range []int{503, 401} {
		r := newRig(t, onepipesim.Options{})
		h := r.holdTxn(r.grantedConsent(t, cardAuth()), "10.00")
		n := r.count(onepipe.PathTransact)
		r.sim.Harness().Arm(simulator.Fault{Path: onepipe.PathQuery, Status: status})
		want(t, "recover with the query down", r.call(t, opHold, h, true), lifecycle.Unknown, "")
		if got := r.count(onepipe.PathTransact); got != n {
			t.Fatalf("HTTP %d: %d holds made without an answer to the query", status, got-n)
		}
	}
}

// TestDuplicateAnsweredByQuery: a call refused as a duplicate
// transaction_ref (code 94: an earlier attempt arrived under a request_ref
// OnePipe no longer replays; here sent directly) is answered by the query,
// never taken as a decline of its own: the earlier attempt's outcome is the
// result, and OnePipe holds one hold.
func TestDuplicateAnsweredByQuery(t *testing.T) {
	t.Parallel()
	r := newRig(t, onepipesim.Options{})
	direct, err := onepipe.NewClient(onepipe.Config{BaseURL: r.url, APIKey: onepipesim.DefaultSimAPIKey, Secret: onepipesim.DefaultSimSecret})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		earlier string // the amount of the earlier attempt
		outcome lifecycle.Outcome
		code    string
	}{
		{"30.00", lifecycle.OK, ""},
		{"51.51", lifecycle.Declined, onepipe.CodeInsufficientFunds},
	} {
		consent := r.grantedConsent(t, cardAuth())
		tok, err := readToken(r.deps.Sealer, consent)
		if err != nil {
			t.Fatal(err)
		}
		h := r.holdTxn(consent, "30.00")
		_, _ = direct.Hold(t.Context(), onepipe.Hold{RequestRef: "earlier-" + h.ID.String(), TransactionRef: TransactionRef(h.ID, opHold),
			Token: string(tok), Amount: decimal.RequireFromString(tc.earlier)})
		res := r.call(t, opHold, h, false)
		want(t, "hold after an earlier attempt of "+tc.earlier, res, tc.outcome, tc.code)
		if tc.outcome == lifecycle.OK {
			wantTime(t, res, "hold_expires_at", simT0.Add(onepipesim.DefaultHoldTTL))
		}
	}
	if n := r.count(onepipe.PathQuery); n != 2 {
		t.Fatalf("%d queries, want one per duplicate", n)
	}
}
