// Package connector is the registry of provider connectors. A connector is
// one provider's operations; each operation has a call and declares its
// recovery rule for an attempt that may have reached the provider (its
// worker died, or its result could not be committed). The executor claims
// work, fences it, looks the operation up here, applies its rule and
// commits the result; it names no provider.
package connector

import (
	"context"
	"fmt"
	"sort"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Recovery is an operation's rule for an attempt that may have happened.
type Recovery int

const (
	// Repeat: the operation is idempotent at the provider (ono//connect's
	// confirm and reject for the same transaction id): the next claim simply
	// makes the call again. Such a call is never recorded as "sent".
	Repeat Recovery = iota + 1
	// ReverseByReference: the operation must never be repeated (an
	// ono//connect charge). The next claim reports the outcome as unknown,
	// and the lifecycle reverses it by the merchant's reference.
	ReverseByReference
	// QueryFirst: the next claim asks the provider what became of the
	// attempt (ProcessOne by CallbackId, OnePipe by request_ref) with the
	// operation's Recover, and acts on the answer.
	QueryFirst
	// RetrySameID: the next claim calls the provider's retry endpoint with
	// the same id (utility /tokenPurchases/{id}/retry) through Recover.
	RetrySameID
	// ReportUnknown: never repeated, and nothing to reverse or query (a
	// payment code's create: the provider has no lookup by the merchant's
	// reference and its create is not idempotent). The next claim after an
	// attempt that may have reached the provider reports the outcome as
	// unknown without calling, and the lifecycle decides what that means.
	ReportUnknown
)

func (r Recovery) String() string {
	switch r {
	case Repeat:
		return "repeat"
	case ReverseByReference:
		return "reverse_by_reference"
	case QueryFirst:
		return "query_first"
	case RetrySameID:
		return "retry_same_id"
	case ReportUnknown:
		return "report_unknown"
	}
	return fmt.Sprintf("recovery(%d)", int(r))
}

// MarksSent reports whether an attempt is recorded as sent before its call:
// every rule but Repeat needs to know that an earlier attempt may have
// reached the provider.
func (r Recovery) MarksSent() bool { return r != Repeat }

// Call is what an operation is called with.
type Call struct {
	Txn  *store.Txn
	Work store.WorkItem
}

// Func makes a call and classifies its outcome (ResultOf). A non-nil error
// is a local failure before anything was sent (credentials, unsealing): the
// call is certain not to have been made, and it is retried later, never
// reported as a provider outcome.
type Func func(ctx context.Context, c Call) (lifecycle.Result, error)

// Operation is one provider operation.
type Operation struct {
	Name     string
	Recovery Recovery
	Call     Func
	// Recover is what a later claim does instead of Call when an earlier
	// attempt was recorded as sent: the query (QueryFirst) or the retry
	// with the same id (RetrySameID). Unused by the other rules.
	Recover Func
}

// Connector is one provider's operations.
type Connector struct {
	Provider string
	// Prepare does the local work a call for merchant needs before
	// anything is recorded as sent (loading its credentials); an error is
	// retried later. Optional.
	Prepare    func(ctx context.Context, merchant uuid.UUID) error
	Operations []Operation
}

// Registry holds the connectors by provider.
type Registry struct {
	byProvider map[string]*Connector
	ops        map[string]map[string]Operation
}

// NewRegistry returns a registry holding cs.
func NewRegistry(cs ...*Connector) *Registry {
	r := &Registry{byProvider: map[string]*Connector{}, ops: map[string]map[string]Operation{}}
	for _, c := range cs {
		r.Register(c)
	}
	return r
}

// Register adds c. It panics on a provider registered twice, an operation
// without a call, or a rule that needs Recover without one: programming
// errors found at start.
func (r *Registry) Register(c *Connector) {
	if _, dup := r.byProvider[c.Provider]; dup {
		panic(fmt.Sprintf("connector %q registered twice", c.Provider))
	}
	ops := map[string]Operation{}
	for _, op := range c.Operations {
		if op.Call == nil || op.Recovery == 0 {
			panic(fmt.Sprintf("connector %q: operation %q needs a call and a recovery rule", c.Provider, op.Name))
		}
		if (op.Recovery == QueryFirst || op.Recovery == RetrySameID) && op.Recover == nil {
			panic(fmt.Sprintf("connector %q: operation %q (%s) needs Recover", c.Provider, op.Name, op.Recovery))
		}
		ops[op.Name] = op
	}
	r.byProvider[c.Provider] = c
	r.ops[c.Provider] = ops
}

// Op returns provider's connector and its operation op.
func (r *Registry) Op(provider, op string) (*Connector, Operation, bool) {
	c, ok := r.byProvider[provider]
	if !ok {
		return nil, Operation{}, false
	}
	o, ok := r.ops[provider][op]
	return c, o, ok
}

// Providers lists the registered providers, sorted.
func (r *Registry) Providers() []string {
	out := make([]string, 0, len(r.byProvider))
	for p := range r.byProvider {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
