package lifecycle

import (
	"fmt"
	"sort"
)

// Registry holds the registered lifecycles, by transaction type and by
// command type.
type Registry struct {
	byType    map[string]Lifecycle
	byCommand map[string]Lifecycle
	creates   map[string]bool
	internal  map[string]bool
}

// NewRegistry returns a registry holding ls.
func NewRegistry(ls ...Lifecycle) *Registry {
	r := &Registry{byType: map[string]Lifecycle{}, byCommand: map[string]Lifecycle{}, creates: map[string]bool{}, internal: map[string]bool{}}
	for _, l := range ls {
		r.Register(l)
	}
	return r
}

// Register adds l. It panics on a type or command registered twice: that is
// a programming error found at start.
func (r *Registry) Register(l Lifecycle) {
	if _, dup := r.byType[l.Type()]; dup {
		panic(fmt.Sprintf("lifecycle %q registered twice", l.Type()))
	}
	r.byType[l.Type()] = l
	for _, c := range l.Commands() {
		if _, dup := r.byCommand[c.Type]; dup {
			panic(fmt.Sprintf("command %q registered twice", c.Type))
		}
		r.byCommand[c.Type] = l
		r.creates[c.Type] = c.Creates
		r.internal[c.Type] = c.Internal
	}
}

// ByType returns the lifecycle of a transaction type.
func (r *Registry) ByType(typ string) (Lifecycle, bool) {
	l, ok := r.byType[typ]
	return l, ok
}

// ByCommand returns the lifecycle that takes a command type, and whether
// the command creates a transaction.
func (r *Registry) ByCommand(cmdType string) (l Lifecycle, creates bool, ok bool) {
	l, ok = r.byCommand[cmdType]
	return l, r.creates[cmdType], ok
}

// Internal reports whether cmdType is an internal command (Command.Internal):
// made by Switchyard from a provider callback, never taken from a merchant.
func (r *Registry) Internal(cmdType string) bool { return r.internal[cmdType] }

// Types lists the registered transaction types, sorted.
func (r *Registry) Types() []string {
	out := make([]string, 0, len(r.byType))
	for t := range r.byType {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Routes lists every lifecycle's HTTP routes, in registration-independent
// order.
func (r *Registry) Routes() []Route {
	var out []Route
	for _, t := range r.Types() {
		out = append(out, r.byType[t].Routes()...)
	}
	return out
}

// InFlight reports whether a transaction of typ in status is still moving
// on its own (Prefer: wait waits for it to leave).
func (r *Registry) InFlight(typ, status string) bool {
	l, ok := r.byType[typ]
	return ok && l.InFlight(status)
}
