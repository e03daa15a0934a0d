package code

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

var (
	now     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	expires = now.Add(DefaultExpiry)
	later   = now.Add(48 * time.Hour)
)

func spec() Spec {
	e := expires
	return Spec{Amount: decimal.RequireFromString("10.50"), Currency: "ZAR", Reference: "ref-1", ShortDescription: "Basket of Goods", Expires: &e, UseOnce: true}
}

func st(status string) State {
	return State{Status: status, ProviderReference: "8227541409", Spec: spec()}
}

func inFlight(status, op string) State {
	s := st(status)
	s.Op = op
	return s
}

func strp(s string) *string { return &s }

func result(op string, o lifecycle.Outcome) Result {
	return Result{Op: op, Outcome: o, Code: "431", Message: "The code does not exist."}
}

// TestDecideCommands: every change command from every status, allowed or
// invalid_state, and refused while another change is in flight.
func TestDecideCommands(t *testing.T) {
	all := []string{events.StatusPending, events.StatusActive, events.StatusBlocked, events.StatusUsed,
		events.StatusExpired, events.StatusDeleted, events.StatusFailed}
	cmds := []struct {
		name string
		in   Input
		op   string
		from []string
	}{
		{"block", Action{Op: OpBlock}, OpBlock, []string{events.StatusActive}},
		{"unblock", Action{Op: OpUnblock}, OpUnblock, []string{events.StatusBlocked}},
		{"delete", Action{Op: OpDelete}, OpDelete, []string{events.StatusActive, events.StatusBlocked}},
		{"update", Update{Data: events.CodeUpdateData{ShortDescription: strp("New description")}}, OpUpdate, []string{events.StatusActive, events.StatusBlocked}},
		{"set_amount", SetAmount{Amount: "20.00"}, OpSetAmount, []string{events.StatusActive, events.StatusBlocked}},
	}
	for _, c := range cmds {
		for _, status := range all {
			allowed := false
			for _, f := range c.from {
				allowed = allowed || f == status
			}
			next, effs, err := Decide(st(status), c.in, now, Policy{})
			if !allowed {
				if !errors.Is(err, lifecycle.ErrInvalidState) || !reflect.DeepEqual(next, st(status)) || effs != nil {
					t.Errorf("%s from %s: %v %+v, want invalid_state and no change", c.name, status, err, effs)
				}
				continue
			}
			if err != nil || next.Status != status || next.Op != c.op || !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: c.op}}) {
				t.Errorf("%s from %s: %+v %+v %v, want %s in flight, same status", c.name, status, next, effs, err, c.op)
			}
			// A second change while this one is in flight.
			for _, c2 := range cmds {
				if _, _, err := Decide(next, c2.in, now, Policy{}); !errors.Is(err, lifecycle.ErrInvalidState) {
					t.Errorf("%s while %s is in flight: %v, want invalid_state", c2.name, c.op, err)
				}
			}
		}
	}
}

func TestDecideResults(t *testing.T) {
	newSpec := spec()
	newSpec.ShortDescription = "New description"
	newSpec.Expires = &later
	withNext := func(status, op string, next Spec) State {
		s := inFlight(status, op)
		s.Next = &next
		return s
	}
	declined := &events.Reason{Code: events.ReasonProviderDeclined, ProviderCode: "431", Message: "The code does not exist."}
	for _, tc := range []struct {
		name   string
		s      State
		in     Result
		status string
		reason *events.Reason
		spec   Spec
		effs   []effect.Effect
	}{
		{"create ok", State{Status: events.StatusPending, Spec: spec(), Op: OpCreate},
			Result{Op: OpCreate, Outcome: lifecycle.OK, ProviderReference: "8227541409", Data: json.RawMessage(`{"code":"8227541409","expires_at":"` + expires.Format(time.RFC3339) + `"}`)},
			events.StatusActive, nil, spec(), []effect.Effect{effect.SetTimer{Kind: TimerExpiry, At: expires}}},
		{"create declined", State{Status: events.StatusPending, Spec: spec(), Op: OpCreate}, Result{Op: OpCreate, Outcome: lifecycle.Declined, Code: "440", Message: "Validation error."},
			events.StatusFailed, &events.Reason{Code: events.ReasonProviderDeclined, ProviderCode: "440", Message: "Validation error."}, spec(), nil},
		{"create unknown: never repeated", State{Status: events.StatusPending, Spec: spec(), Op: OpCreate}, Result{Op: OpCreate, Outcome: lifecycle.Unknown},
			events.StatusFailed, &events.Reason{Code: events.ReasonProviderTimeout}, spec(), nil},
		{"block ok", inFlight(events.StatusActive, OpBlock), result(OpBlock, lifecycle.OK), events.StatusBlocked, nil, spec(), nil},
		{"unblock ok", inFlight(events.StatusBlocked, OpUnblock), result(OpUnblock, lifecycle.OK), events.StatusActive, nil, spec(), nil},
		{"delete ok", inFlight(events.StatusBlocked, OpDelete), result(OpDelete, lifecycle.OK), events.StatusDeleted, nil, spec(),
			[]effect.Effect{effect.CancelTimer{Kind: TimerExpiry}}},
		{"delete not found: done", inFlight(events.StatusActive, OpDelete), result(OpDelete, lifecycle.NotFound), events.StatusDeleted, nil, spec(),
			[]effect.Effect{effect.CancelTimer{Kind: TimerExpiry}}},
		{"update ok moves the timer", withNext(events.StatusActive, OpUpdate, newSpec), result(OpUpdate, lifecycle.OK), events.StatusActive, nil, newSpec,
			[]effect.Effect{effect.SetTimer{Kind: TimerExpiry, At: later}, effect.Emit{Kind: EventUpdated}}},
		{"block declined", inFlight(events.StatusActive, OpBlock), result(OpBlock, lifecycle.Declined), events.StatusActive, declined, spec(),
			[]effect.Effect{effect.Emit{Kind: EventChangeFailed}}},
		{"update declined", withNext(events.StatusBlocked, OpUpdate, newSpec), result(OpUpdate, lifecycle.Declined), events.StatusBlocked, declined, spec(),
			[]effect.Effect{effect.Emit{Kind: EventChangeFailed}}},
		{"block unknown: asked again", inFlight(events.StatusActive, OpBlock), result(OpBlock, lifecycle.Unknown), events.StatusActive, nil, spec(),
			[]effect.Effect{effect.SetTimer{Kind: TimerRetry, At: now.Add(time.Second), Attempt: 1}}},
	} {
		next, effs, err := Decide(tc.s, tc.in, now, Policy{})
		if err != nil || next.Status != tc.status || !reasonLike(next.Reason, tc.reason) || !reflect.DeepEqual(next.Spec, tc.spec) || !effectsLike(effs, tc.effs) {
			t.Errorf("%s: %+v %+v %v\nwant %s reason %+v spec %+v effects %+v", tc.name, next, effs, err, tc.status, tc.reason, tc.spec, tc.effs)
		}
		if next.Op != "" && tc.in.Outcome != lifecycle.Unknown {
			t.Errorf("%s: op %q still in flight", tc.name, next.Op)
		}
	}
}

// TestDecideNeverSetsNoTimer: a code created with "never" sets no expiry
// timer; an update to never cancels it.
func TestDecideNeverExpires(t *testing.T) {
	s := State{Status: events.StatusPending, Spec: spec(), Op: OpCreate}
	next, effs, err := Decide(s, Result{Op: OpCreate, Outcome: lifecycle.OK, ProviderReference: "1", Data: json.RawMessage(`{"code":"1","expires_at":null}`)}, now, Policy{})
	if err != nil || next.Spec.Expires != nil || !reflect.DeepEqual(effs, []effect.Effect{effect.CancelTimer{Kind: TimerExpiry}}) {
		t.Fatalf("create never: %+v %+v %v", next.Spec, effs, err)
	}
	next, _, err = Decide(st(events.StatusActive), Update{Data: events.CodeUpdateData{ExpiresAt: strp("never")}}, now, Policy{})
	if err != nil || next.Next == nil || next.Next.Expires != nil {
		t.Fatalf("update to never: %+v %v", next.Next, err)
	}
	next, effs, _ = Decide(next, result(OpUpdate, lifecycle.OK), now, Policy{})
	if next.Spec.Expires != nil || !effectsLike(effs, []effect.Effect{effect.CancelTimer{Kind: TimerExpiry}, effect.Emit{Kind: EventUpdated}}) {
		t.Fatalf("update to never applied: %+v %+v", next.Spec, effs)
	}
}

// TestDecideUnknownBounded: an unknown change is asked again MaxAttempts
// times, then dropped with provider_timeout.
func TestDecideUnknownBounded(t *testing.T) {
	p := Policy{MaxAttempts: 2}
	s := inFlight(events.StatusActive, OpBlock)
	for i := 1; i <= 2; i++ {
		var effs []effect.Effect
		s, effs, _ = Decide(s, result(OpBlock, lifecycle.Unknown), now, p)
		if s.Attempt != i || len(effs) != 1 {
			t.Fatalf("attempt %d: %+v %+v", i, s, effs)
		}
		if _, effs, _ := Decide(s, TimerFired{Kind: TimerRetry}, now, p); !reflect.DeepEqual(effs, []effect.Effect{effect.Call{Op: OpBlock, Recover: true}}) {
			t.Fatalf("retry timer: %+v", effs)
		}
	}
	s, effs, _ := Decide(s, result(OpBlock, lifecycle.Unknown), now, p)
	if s.Op != "" || s.Status != events.StatusActive || s.Reason == nil || s.Reason.Code != events.ReasonProviderTimeout || !effectsLike(effs, []effect.Effect{effect.Emit{Kind: EventChangeFailed}}) {
		t.Fatalf("given up: %+v %+v", s, effs)
	}
}

func TestDecideTimers(t *testing.T) {
	for _, tc := range []struct {
		s      State
		in     TimerFired
		status string
		err    error
	}{
		{st(events.StatusActive), TimerFired{Kind: TimerExpiry}, events.StatusExpired, nil},
		{st(events.StatusBlocked), TimerFired{Kind: TimerExpiry}, events.StatusExpired, nil},
		{inFlight(events.StatusActive, OpUpdate), TimerFired{Kind: TimerExpiry}, events.StatusExpired, nil},
		{st(events.StatusUsed), TimerFired{Kind: TimerExpiry}, events.StatusUsed, lifecycle.ErrIgnored},
		{st(events.StatusDeleted), TimerFired{Kind: TimerExpiry}, events.StatusDeleted, lifecycle.ErrIgnored},
		{st(events.StatusExpired), TimerFired{Kind: TimerExpiry}, events.StatusExpired, lifecycle.ErrIgnored},
		{st(events.StatusFailed), TimerFired{Kind: TimerExpiry}, events.StatusFailed, lifecycle.ErrIgnored},
		{st(events.StatusActive), TimerFired{Kind: TimerRetry}, events.StatusActive, lifecycle.ErrIgnored},
		{inFlight(events.StatusPending, OpCreate), TimerFired{Kind: TimerRetry}, events.StatusPending, lifecycle.ErrIgnored},
	} {
		next, _, err := Decide(tc.s, tc.in, now, Policy{})
		if !errors.Is(err, tc.err) || err == nil && tc.err != nil || next.Status != tc.status {
			t.Errorf("%s on %s (op %q): %s %v, want %s %v", tc.in.Kind, tc.s.Status, tc.s.Op, next.Status, err, tc.status, tc.err)
		}
		if tc.status == events.StatusExpired && err == nil && next.Op != "" {
			t.Errorf("expired with %s in flight", next.Op)
		}
	}
}

// TestDecideStaleResult: a result for another op, or none in flight, is
// ignored.
func TestDecideStaleResult(t *testing.T) {
	for _, s := range []State{st(events.StatusActive), inFlight(events.StatusActive, OpBlock)} {
		if _, _, err := Decide(s, result(OpDelete, lifecycle.OK), now, Policy{}); !errors.Is(err, lifecycle.ErrIgnored) {
			t.Errorf("delete result with op %q: %v, want ignored", s.Op, err)
		}
	}
}

// TestDecideChangeChecks: what an update or set_amount asks is checked
// against the code.
func TestDecideChangeChecks(t *testing.T) {
	basket := []events.CodeBasketItem{{Destination: "27832006283", ItemType: events.ItemAirtime, Amount: "5.00"}}
	withBasket := st(events.StatusActive)
	withBasket.Spec.LimitBasket, withBasket.Spec.UseOnce = basket, false
	f := false
	for _, tc := range []struct {
		name  string
		s     State
		in    Input
		field string
	}{
		{"expiry in the past", st(events.StatusActive), Update{Data: events.CodeUpdateData{ExpiresAt: strp(now.Add(-time.Minute).Format(time.RFC3339))}}, "data.expires_at"},
		{"basket without use_once", st(events.StatusActive), Update{Data: events.CodeUpdateData{UseOnce: &f, LimitBasket: &basket}}, "data.limit_basket"},
		{"basket item type", st(events.StatusActive), Update{Data: events.CodeUpdateData{LimitBasket: &[]events.CodeBasketItem{{Destination: "27832006283", ItemType: "DATA", Amount: "5.00"}}}}, "data.limit_basket"},
		{"amount decimals", st(events.StatusActive), SetAmount{Amount: "10.123"}, "data.amount"},
		{"variable amount with basket", withBasket, SetAmount{Amount: "0"}, "data.amount"},
		{"set_amount expiry in the past", st(events.StatusActive), SetAmount{Amount: "5.00", ExpiresAt: now.Format(time.RFC3339)}, "data.expires_at"},
	} {
		_, _, err := Decide(tc.s, tc.in, now, Policy{})
		var fe *events.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: %v, want a field error on %s", tc.name, err, tc.field)
		}
	}
	next, _, err := Decide(st(events.StatusActive), SetAmount{Amount: "0"}, now, Policy{})
	if err != nil || !next.Next.Amount.IsZero() || next.Next.Expires == nil || !next.Next.Expires.Equal(expires) {
		t.Fatalf("variable amount keeping the expiry: %+v %v", next.Next, err)
	}
}

func reasonLike(got, want *events.Reason) bool {
	if got == nil || want == nil {
		return got == want
	}
	return got.Code == want.Code && (want.ProviderCode == "" || got.ProviderCode == want.ProviderCode) && (want.Message == "" || got.Message == want.Message)
}

// effectsLike compares effects, an Emit by its kind only.
func effectsLike(got, want []effect.Effect) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if e, ok := got[i].(effect.Emit); ok {
			if w, ok := want[i].(effect.Emit); !ok || w.Kind != e.Kind {
				return false
			}
			continue
		}
		if !reflect.DeepEqual(got[i], want[i]) {
			return false
		}
	}
	return true
}
