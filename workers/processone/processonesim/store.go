package processonesim

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// acctRef is a bank account as the simulator keeps it. The full number
// stays in memory (the test data is keyed on it) but is only ever returned
// masked.
type acctRef struct {
	Routing string
	Number  string
	Type    EftAccountType
	Name    string
}

func (a acctRef) last4() string {
	if len(a.Number) < 4 {
		return a.Number
	}
	return a.Number[len(a.Number)-4:]
}

// record is one transaction at the simulated provider.
type record struct {
	ID         string
	Key        string // the instance (AuthenticationKey) it belongs to
	Type       TransactionType
	Status     TransactionStatus
	Code       ResponseCode
	Amount     decimal.Decimal
	Refunded   decimal.Decimal
	At         time.Time
	Batch      int
	CallbackID string
	Parent     string
	Card       *cardRef
	Holder     *Customer
	Acct       *acctRef
	Ref        *ClientReferenceData
	CustomerID string
	Group      string
	Token      string
	AuthCode   string
}

func (r *record) last4() string {
	switch {
	case r.Card != nil:
		return r.Card.Last4
	case r.Acct != nil:
		return r.Acct.last4()
	}
	return ""
}

// savedToken is a tokenized card or account.
type savedToken struct {
	Token      string
	Key        string
	Type       TokenType
	Card       *cardRef
	Holder     *Customer
	Acct       *acctRef
	Ref        *ClientReferenceData
	CustomerID string
	SaveTxn    string
}

// store is the simulator's state; the Simulator's mutex guards it.
type store struct {
	batch     int // the open batch; every lower number is closed
	nextClose time.Time
	seq       int64
	txns      map[string]*record
	byCB      map[string]*record // instance key + "\x00" + CallbackId
	tokens    map[string]*savedToken
}

func newStore(first int64) *store {
	return &store{batch: 1, seq: first - 1, txns: map[string]*record{},
		byCB: map[string]*record{}, tokens: map[string]*savedToken{}}
}

func cbKey(key, cb string) string { return key + "\x00" + cb }

// callbackTaken reports whether this instance already used cb.
func (st *store) callbackTaken(key string, cb *string) bool {
	if cb == nil || *cb == "" {
		return false
	}
	_, ok := st.byCB[cbKey(key, *cb)]
	return ok
}

// add numbers r, puts it in the open batch and indexes it.
func (st *store) add(r *record) *record {
	st.seq++
	r.ID = strconv.FormatInt(st.seq, 10)
	r.AuthCode = fmt.Sprintf("A%05d", st.seq%100000)
	if r.Batch == 0 && isMoney(r.Type) {
		r.Batch = st.batch
	}
	st.txns[r.ID] = r
	if r.CallbackID != "" {
		st.byCB[cbKey(r.Key, r.CallbackID)] = r
	}
	return r
}

// get returns the instance's transaction id.
func (st *store) get(key, id string) *record {
	r := st.txns[id]
	if r == nil || r.Key != key {
		return nil
	}
	return r
}

func (st *store) closed(r *record) bool { return r.Batch < st.batch }

// closeBatch closes the open batch and opens the next; it returns the
// number closed.
func (st *store) closeBatch() int {
	st.batch++
	return st.batch - 1
}

// roll closes batches whose scheduled cut-off now has passed; next gives
// the close after one.
func (st *store) roll(now time.Time, next func(time.Time) time.Time) {
	for !st.nextClose.IsZero() && !now.Before(st.nextClose) {
		st.closeBatch()
		st.nextClose = next(st.nextClose)
	}
}

// sorted returns the records matching keep, by transaction id.
func (st *store) sorted(keep func(*record) bool) []*record {
	var out []*record
	for _, r := range st.txns {
		if keep(r) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return idNum(out[i].ID) < idNum(out[j].ID) })
	return out
}

func idNum(id string) int64 {
	n, _ := strconv.ParseInt(id, 10, 64)
	return n
}

// isMoney reports whether a type moves money (and so joins a batch).
func isMoney(t TransactionType) bool {
	switch t {
	case TypeSaveCreditCard, TypeRemoveSavedCreditCard, TypeSaveEft, TypeRemoveSavedEft,
		TypeVerifyCreditCard, TypeVerifyBankAccount:
		return false
	}
	return true
}

// dupClass groups the types the duplicate rule compares with each other.
func dupClass(t TransactionType) int {
	switch t {
	case TypeChargeCreditCard, TypeChargeCreditCardNoFee, TypeRecurringChargeCreditCard:
		return 1
	case TypeDebitEft, TypeDebitEftNoFee, TypeRecurringEft:
		return 2
	case TypeCreditBankAccount:
		return 3
	case TypeRefundCreditCard, TypeRefundEft:
		return 4
	}
	return 0
}

// duplicate reports a successful transaction of the same class with the same
// amount, last 4 and ClientReferenceData1 within window of now.
func (st *store) duplicate(n *record, window time.Duration) bool {
	for _, r := range st.txns {
		if r.Key == n.Key && r.Status == StatusSuccessful && dupClass(r.Type) == dupClass(n.Type) &&
			r.Amount.Equal(n.Amount) && r.last4() == n.last4() && r.Ref.Ref1() == n.Ref.Ref1() &&
			n.At.Sub(r.At) < window {
			return true
		}
	}
	return false
}

// policyPayments counts successful payments of ref1 in the open batch.
func (st *store) policyPayments(key, ref1 string) int {
	n := 0
	for _, r := range st.txns {
		if r.Key == key && r.Batch == st.batch && r.Status == StatusSuccessful &&
			(dupClass(r.Type) == 1 || dupClass(r.Type) == 2) && r.Ref.Ref1() == ref1 {
			n++
		}
	}
	return n
}
