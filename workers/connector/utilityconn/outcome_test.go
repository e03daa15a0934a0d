package utilityconn

import (
	"errors"
	"testing"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/provider"
	"github.com/switchyard/switchyard/workers/utility"
)

// TestOutcomeTable: each class of answer, for each kind of call, is the
// outcome the package doc names, with the provider's code kept.
func TestOutcomeTable(t *testing.T) {
	t.Parallel()
	pe := func(k provider.Kind, status int, code string) error {
		return &provider.Error{Kind: k, Provider: "utility", Status: status, Code: code, Message: "m"}
	}
	tests := []struct {
		name string
		c    call
		err  error
		want lifecycle.Outcome
	}{
		{"vend ok", vend, nil, lifecycle.OK},
		{"vend 400", vend, pe(provider.KindDeclined, 400, utility.ErrMeterBlocked), lifecycle.Declined},
		{"vend duplicate", vend, pe(provider.KindDeclined, 400, utility.ErrDuplicate), lifecycle.Unknown},
		{"vend 404 with code", vend, pe(provider.KindDeclined, 404, utility.ErrNotFound), lifecycle.Declined},
		{"vend 503", vend, pe(provider.KindUnknown, 503, ""), lifecycle.Unknown},
		{"vend time-out", vend, pe(provider.KindUnknown, 0, ""), lifecycle.Unknown},
		{"vend refused", vend, pe(provider.KindFailed, 0, ""), lifecycle.Failed},
		{"vend 401", vend, pe(provider.KindFailed, 401, utility.ErrAuth), lifecycle.Failed},
		{"vend unclassified error", vend, errors.New("boom"), lifecycle.Unknown},
		{"retry ok", retry, nil, lifecycle.OK},
		{"retry 404 with code", retry, pe(provider.KindDeclined, 404, utility.ErrNotFound), lifecycle.NotFound},
		{"retry 400", retry, pe(provider.KindDeclined, 400, utility.ErrReversed), lifecycle.Declined},
		{"retry 504", retry, pe(provider.KindUnknown, 504, ""), lifecycle.Unknown},
		{"retry refused", retry, pe(provider.KindFailed, 0, ""), lifecycle.Unknown},
		{"retry 404 without code", retry, pe(provider.KindFailed, 404, ""), lifecycle.Unknown},
		{"advice ok", advice, nil, lifecycle.OK},
		{"advice 400", advice, pe(provider.KindDeclined, 400, utility.ErrInvalidAdvice), lifecycle.Declined},
		{"advice 404", advice, pe(provider.KindRetryLater, 404, utility.ErrNotFound), lifecycle.RetryLater},
		{"advice 503", advice, pe(provider.KindRetryLater, 503, ""), lifecycle.RetryLater},
		{"advice time-out", advice, pe(provider.KindUnknown, 0, ""), lifecycle.RetryLater},
		{"advice refused", advice, pe(provider.KindFailed, 0, ""), lifecycle.RetryLater},
	}
	for _, tt := range tests {
		r := resultOf("op", tt.c, tt.err)
		if r.Op != "op" || r.Outcome != tt.want {
			t.Errorf("%s: %+v, want %s", tt.name, r, tt.want)
		}
		var p *provider.Error
		if errors.As(tt.err, &p) && (r.Code != p.Code || r.Message != "m") {
			t.Errorf("%s: code %q message %q, want the provider's", tt.name, r.Code, r.Message)
		}
	}
}
