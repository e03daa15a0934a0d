package onoconnectsim

import "time"

// Charge states kept by the simulator (see Simulator.Status).
const (
	StatusApproved  = "approved"
	StatusDeclined  = "declined"
	StatusConfirmed = "confirmed"
	StatusRejected  = "rejected"
)

// simCharge is one charge the simulator accepted (approved or declined).
type simCharge struct {
	id            string
	merchant      string
	ref           string
	amount        int64
	currency      string
	iso           string
	status        string
	conflictsLeft int // confirms still to be answered 409
	created       time.Time
}

type refKey struct{ merchant, ref string }

// refInfo is what the simulator knows about one clientTransactionId, over
// all merchants: how many charge calls carried it and the charges it made.
type refInfo struct {
	received int
	charges  []*simCharge
}

// store holds the simulator's charges. It is not safe for concurrent use:
// the Simulator guards it with its mutex. It remembers at most max
// references; the oldest is forgotten first.
type store struct {
	max   int
	byID  map[string]*simCharge
	byRef map[refKey]*simCharge
	refs  map[string]*refInfo
	order []string // references in first-seen order, used as a ring once full
	head  int
}

func newStore(max int) *store {
	s := &store{max: max}
	s.reset()
	return s
}

func (s *store) reset() {
	s.byID = make(map[string]*simCharge)
	s.byRef = make(map[refKey]*simCharge)
	s.refs = make(map[string]*refInfo)
	s.order = nil
	s.head = 0
}

// ref returns the record of a reference, creating it (and forgetting the
// oldest one when full) if needed.
func (s *store) ref(ref string) *refInfo {
	if ri := s.refs[ref]; ri != nil {
		return ri
	}
	ri := &refInfo{}
	s.refs[ref] = ri
	if len(s.order) < s.max {
		s.order = append(s.order, ref)
		return ri
	}
	s.forget(s.order[s.head])
	s.order[s.head] = ref
	s.head = (s.head + 1) % s.max
	return ri
}

func (s *store) forget(ref string) {
	ri := s.refs[ref]
	if ri == nil {
		return
	}
	for _, c := range ri.charges {
		delete(s.byID, c.id)
		delete(s.byRef, refKey{c.merchant, c.ref})
	}
	delete(s.refs, ref)
}

// add stores a new charge.
func (s *store) add(c *simCharge) {
	s.byID[c.id] = c
	s.byRef[refKey{c.merchant, c.ref}] = c
	ri := s.ref(c.ref)
	ri.charges = append(ri.charges, c)
}

// lookup finds a merchant's charge by transactionId.
func (s *store) lookup(merchant, id string) *simCharge {
	c := s.byID[id]
	if c == nil || c.merchant != merchant {
		return nil
	}
	return c
}
