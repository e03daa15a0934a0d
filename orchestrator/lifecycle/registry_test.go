package lifecycle_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// stub is a lifecycle that declares and does nothing else.
type stub struct {
	typ      string
	commands []lifecycle.Command
	routes   []lifecycle.Route
	inFlight string
}

func (s *stub) Type() string                  { return s.typ }
func (s *stub) Commands() []lifecycle.Command { return s.commands }
func (s *stub) Routes() []lifecycle.Route     { return s.routes }
func (s *stub) InFlight(status string) bool   { return status == s.inFlight }
func (s *stub) Final(string) bool             { return false }
func (s *stub) Parse(string, json.RawMessage) (lifecycle.Parsed, error) {
	return lifecycle.Parsed{}, nil
}
func (s *stub) Create(*lifecycle.Creation) ([]effect.Effect, error) { return nil, nil }
func (s *stub) Decide(*store.Txn, lifecycle.Input, *lifecycle.Env) ([]effect.Effect, error) {
	return nil, nil
}
func (s *stub) Awaits(*store.Txn, string) bool       { return false }
func (s *stub) Show(*store.Txn, *events.Transaction) {}

func refund() *stub {
	return &stub{typ: "refund", inFlight: "refunding",
		commands: []lifecycle.Command{{Type: "refund.create", Creates: true}, {Type: "refund.cancel"}},
		routes:   []lifecycle.Route{{Pattern: "POST /v1/refunds", Command: "refund.create"}}}
}

func charge() *stub {
	return &stub{typ: "charge", inFlight: "pending",
		commands: []lifecycle.Command{{Type: "charge.create", Creates: true}, {Type: "charge.confirm"}},
		routes: []lifecycle.Route{{Pattern: "POST /v1/charges", Command: "charge.create"},
			{Pattern: "POST /v1/charges/{id}/confirm", Command: "charge.confirm", PathID: "transaction_id"}}}
}

func TestRegisterTwicePanics(t *testing.T) {
	for _, tc := range []struct {
		name   string
		second *stub
		panic  string
	}{
		{"same type", &stub{typ: "charge", commands: []lifecycle.Command{{Type: "other.create", Creates: true}}}, `lifecycle "charge" registered twice`},
		{"same command", &stub{typ: "other", commands: []lifecycle.Command{{Type: "charge.confirm"}}}, `command "charge.confirm" registered twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lifecycle.NewRegistry(charge())
			defer func() {
				got, _ := recover().(string)
				if !strings.Contains(got, tc.panic) {
					t.Fatalf("panic %q, want one saying %q", got, tc.panic)
				}
			}()
			r.Register(tc.second)
		})
	}
}

func TestByCommand(t *testing.T) {
	r := lifecycle.NewRegistry(charge(), refund())
	for _, tc := range []struct {
		cmd     string
		typ     string
		creates bool
		ok      bool
	}{
		{"charge.create", "charge", true, true},
		{"charge.confirm", "charge", false, true},
		{"refund.create", "refund", true, true},
		{"refund.cancel", "refund", false, true},
		{"charge.refund", "", false, false},
		{"", "", false, false},
	} {
		l, creates, ok := r.ByCommand(tc.cmd)
		if ok != tc.ok || creates != tc.creates {
			t.Errorf("ByCommand(%q): creates %v ok %v, want %v %v", tc.cmd, creates, ok, tc.creates, tc.ok)
			continue
		}
		if ok && l.Type() != tc.typ {
			t.Errorf("ByCommand(%q) is %q, want %q", tc.cmd, l.Type(), tc.typ)
		}
	}
}

func TestByType(t *testing.T) {
	r := lifecycle.NewRegistry(refund(), charge())
	for _, typ := range []string{"charge", "refund"} {
		if l, ok := r.ByType(typ); !ok || l.Type() != typ {
			t.Errorf("ByType(%q): %v %v", typ, l, ok)
		}
	}
	if _, ok := r.ByType("hold"); ok {
		t.Error("ByType found an unregistered type")
	}
	if got := r.Types(); !reflect.DeepEqual(got, []string{"charge", "refund"}) {
		t.Errorf("Types() = %q, want sorted", got)
	}
}

// TestRoutesIndependentOfRegistrationOrder: the API's routes are the same
// whatever order the lifecycles were registered in.
func TestRoutesIndependentOfRegistrationOrder(t *testing.T) {
	want := append(charge().routes, refund().routes...)
	for _, r := range []*lifecycle.Registry{lifecycle.NewRegistry(charge(), refund()), lifecycle.NewRegistry(refund(), charge())} {
		if got := r.Routes(); !reflect.DeepEqual(got, want) {
			t.Errorf("Routes() = %+v, want %+v", got, want)
		}
	}
	if got := lifecycle.NewRegistry().Routes(); len(got) != 0 {
		t.Errorf("empty registry has routes %+v", got)
	}
}

func TestInFlight(t *testing.T) {
	r := lifecycle.NewRegistry(charge(), refund())
	for _, tc := range []struct {
		typ, status string
		want        bool
	}{
		{"charge", "pending", true},
		{"charge", "confirmed", false},
		{"charge", "refunding", false}, // another lifecycle's in-flight status
		{"refund", "refunding", true},
		{"hold", "pending", false}, // unregistered type
	} {
		if got := r.InFlight(tc.typ, tc.status); got != tc.want {
			t.Errorf("InFlight(%q, %q) = %v, want %v", tc.typ, tc.status, got, tc.want)
		}
	}
}

// TestInternal: the registry tells internal commands from merchants' own.
func TestInternal(t *testing.T) {
	pay := &stub{typ: "payment", commands: []lifecycle.Command{{Type: "payment.record", Creates: true, Internal: true}}}
	r := lifecycle.NewRegistry(charge(), pay)
	for cmd, want := range map[string]bool{"payment.record": true, "charge.create": false, "charge.confirm": false, "unknown": false} {
		if got := r.Internal(cmd); got != want {
			t.Errorf("Internal(%q) = %v, want %v", cmd, got, want)
		}
	}
}
