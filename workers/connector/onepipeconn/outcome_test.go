package onepipeconn

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/onepipe"
	"github.com/switchyard/switchyard/workers/provider"
)

// TestOutcomeTable: the answers the simulator cannot give as easily, each
// with the result and what follows.
func TestOutcomeTable(t *testing.T) {
	t.Parallel()
	perr := func(kind provider.Kind, code string) error {
		return &provider.Error{Kind: kind, Provider: onepipe.ProviderName, Code: code, Message: "m"}
	}
	tests := []struct {
		name    string
		op      string
		ask     ask
		ans     answer
		outcome lifecycle.Outcome
		code    string
		next    next
	}{
		{"call time-out", OpHold, askCall, answer{err: perr(provider.KindUnknown, "")}, lifecycle.Unknown, "", final},
		{"call 502", OpCapture, askCall, answer{err: perr(provider.KindUnknown, "502")}, lifecycle.Unknown, "", final},
		{"call deadline", OpHold, askCall, answer{err: context.DeadlineExceeded}, lifecycle.Unknown, "", final},
		{"call refused", OpHold, askCall, answer{err: perr(provider.KindFailed, "401")}, lifecycle.Failed, "401", final},
		{"call declined", OpHold, askCall, answer{err: perr(provider.KindDeclined, "51")}, lifecycle.Declined, "51", final},
		{"call duplicate", OpHold, askCall, answer{err: perr(provider.KindDeclined, "94")}, lifecycle.Declined, "94", thenQuery},
		{"query duplicate", OpHold, askQuery, answer{err: perr(provider.KindDeclined, "94")}, lifecycle.Declined, "94", final},
		{"query not found", OpHold, askQuery, answer{err: perr(provider.KindDeclined, "25")}, 0, "", thenCall},
		{"call not found", OpRelease, askCall, answer{err: perr(provider.KindDeclined, "25")}, lifecycle.Declined, "25", final},
		{"query refused", OpHold, askQuery, answer{err: perr(provider.KindFailed, "500")}, lifecycle.Unknown, "", final},
		{"query of a waiting consent", OpConsent, askQuery, answer{res: &onepipe.Result{Status: onepipe.StatusWaitingForOTP}},
			lifecycle.OK, "WaitingForOTP", final},
		{"validate's query of a waiting consent", OpValidate, askQuery, answer{res: &onepipe.Result{Status: onepipe.StatusPendingValidation}},
			0, "", thenCall},
		{"validate's own waiting answer", OpValidate, askCall, answer{res: &onepipe.Result{Status: onepipe.StatusWaitingForOTP}},
			lifecycle.OK, "WaitingForOTP", final},
		{"unknown status", OpHold, askCall, answer{res: &onepipe.Result{Status: "Maybe"}}, lifecycle.Unknown, "", final},
		{"not a provider error", OpHold, askCall, answer{err: errors.New("boom")}, lifecycle.Unknown, "", final},
	}
	tok := &onepipe.Result{Status: onepipe.StatusSuccessful, ProviderToken: "tok-1", TokenExpiry: time.Now()}
	for op, want := range map[string]bool{OpConsent: true, OpValidate: true, OpHold: false, OpCapture: false, OpRelease: false} {
		r := resultOf(op, answer{res: tok}, match(op, askCall, answer{res: tok}))
		if !r.Secret.IsZero() != want || (len(r.Data) > 0) != want {
			t.Errorf("%s: an answer with a token gives Secret %v, Data %s", op, !r.Secret.IsZero(), r.Data)
		}
	}
	for _, tt := range tests {
		w := match(tt.op, tt.ask, tt.ans)
		if w.next != tt.next {
			t.Errorf("%s: next %v, want %v", tt.name, w.next, tt.next)
			continue
		}
		if tt.next == thenCall {
			continue
		}
		r := resultOf(tt.op, tt.ans, w)
		if r.Outcome != tt.outcome || r.Code != tt.code || r.Op != tt.op {
			t.Errorf("%s: %s %s %q, want %s %q", tt.name, r.Op, r.Outcome, r.Code, tt.outcome, tt.code)
		}
	}
}
