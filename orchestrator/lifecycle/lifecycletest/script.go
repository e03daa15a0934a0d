package lifecycletest

import (
	"context"
	"fmt"
	"sort"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
)

type opKey struct{ provider, op string }

func (k opKey) String() string { return k.provider + "/" + k.op }

// Call is a call a scripted operation received.
type Call struct {
	Provider, Op string
	// Recovering is set for a call made through the operation's Recover
	// (query first, retry with the same id) after an earlier attempt was
	// recorded as sent.
	Recovering bool
	connector.Call
}

// Script is one provider operation's scripted answers, used in order, and
// the calls it received. A call with no answer left fails the test, and so
// does an answer left unused when the test ends.
type Script struct {
	h       *Harness
	key     opKey
	rule    connector.Recovery
	answers []lifecycle.Result
}

// Provider returns the script of provider's operation op, declaring it on
// first use. Its recovery rule is the one Rules took from a real connector,
// or Repeat.
func (h *Harness) Provider(provider, op string) *Script {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := opKey{provider, op}
	if s, ok := h.scripts[k]; ok {
		return s
	}
	rule, ok := h.rules[k]
	if !ok {
		rule = connector.Repeat
	}
	s := &Script{h: h, key: k, rule: rule}
	h.scripts[k] = s
	return s
}

// Rules takes the recovery rules of real connectors' operations, so that the
// executor treats the scripted operations as it treats theirs (an operation
// that marks its attempts as sent, one that is simply repeated). Call it
// before Provider.
func (h *Harness) Rules(cs ...*connector.Connector) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range cs {
		for _, op := range c.Operations {
			h.rules[opKey{c.Provider, op.Name}] = op.Recovery
		}
	}
}

// expectAnswersUsed fails a test that passed otherwise when an operation
// still holds scripted answers: the calls it scripted never came.
func (h *Harness) expectAnswersUsed() {
	if h.t.Failed() {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, s := range h.scripts {
		if len(s.answers) > 0 {
			h.t.Errorf("lifecycletest: %d scripted answer(s) of %s never used", len(s.answers), k)
		}
	}
}

// Returns appends answers. An answer's Op defaults to the operation's name.
func (s *Script) Returns(rs ...lifecycle.Result) *Script {
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	for _, r := range rs {
		if r.Op == "" {
			r.Op = s.key.op
		}
		s.answers = append(s.answers, r)
	}
	return s
}

// Fails appends the answer a connector gives for a provider error (a
// *provider.Error), mapped by connector.ResultOf as every connector maps it.
func (s *Script) Fails(err error) *Script { return s.Returns(connector.ResultOf(s.key.op, err)) }

// Left returns how many answers are not used yet.
func (s *Script) Left() int {
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	return len(s.answers)
}

// Calls returns the calls this operation received, in order.
func (s *Script) Calls() []Call {
	var out []Call
	for _, c := range s.h.Calls() {
		if c.Provider == s.key.provider && c.Op == s.key.op {
			out = append(out, c)
		}
	}
	return out
}

// fn is the operation's call (or recovery) as the executor runs it.
func (s *Script) fn(recovering bool) connector.Func {
	return func(_ context.Context, c connector.Call) (lifecycle.Result, error) {
		s.h.mu.Lock()
		defer s.h.mu.Unlock()
		s.h.calls = append(s.h.calls, Call{Provider: s.key.provider, Op: s.key.op, Recovering: recovering, Call: c})
		if len(s.answers) == 0 {
			s.h.t.Errorf("lifecycletest: %s called for transaction %s (%s) with no scripted answer left", s.key, c.Txn.ID, c.Txn.Status)
			return lifecycle.Result{}, fmt.Errorf("lifecycletest: no answer scripted for %s", s.key)
		}
		r := s.answers[0]
		s.answers = s.answers[1:]
		return r, nil
	}
}

// connectors returns a registry of every scripted operation, one connector
// per provider.
func (h *Harness) connectors() *connector.Registry {
	h.mu.Lock()
	defer h.mu.Unlock()
	byProvider := map[string]*connector.Connector{}
	for _, s := range h.scripts {
		c, ok := byProvider[s.key.provider]
		if !ok {
			c = &connector.Connector{Provider: s.key.provider}
			byProvider[s.key.provider] = c
		}
		c.Operations = append(c.Operations, connector.Operation{Name: s.key.op, Recovery: s.rule,
			Call: s.fn(false), Recover: s.fn(true)})
	}
	names := make([]string, 0, len(byProvider))
	for p := range byProvider {
		names = append(names, p)
	}
	sort.Strings(names)
	r := connector.NewRegistry()
	for _, p := range names {
		r.Register(byProvider[p])
	}
	return r
}

// Calls returns every call the scripted operations received, in order.
func (h *Harness) Calls() []Call {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Call(nil), h.calls...)
}
