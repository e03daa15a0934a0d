package refund

import (
	"encoding/json"
	"errors"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Details keys of a refund.
const (
	detailState  = "refund"          // State (the machine's own fields)
	detailReason = "merchant_reason" // refund.create's reason, as the merchant gave it
)

// Lifecycle registers the refund state machine (orchestrator/lifecycle).
type Lifecycle struct {
	// Providers are the connectors' declarations: what each can do decides
	// between void, refund, deferral and refusal.
	Providers lifecycle.Providers
	// Policy holds the operator's retry timings (defaults: 1s → 5m over 1h).
	Policy Policy
}

// New returns the refund lifecycle for the declared providers.
func New(providers lifecycle.Providers) *Lifecycle { return &Lifecycle{Providers: providers} }

var _ lifecycle.Lifecycle = (*Lifecycle)(nil)

// Type is "refund".
func (*Lifecycle) Type() string { return events.TypeRefund }

// Commands: refund.create creates a refund; nothing acts on one.
func (*Lifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: events.RefundCreate, Creates: true}}
}

// Routes are contract §4's refund route.
func (*Lifecycle) Routes() []lifecycle.Route {
	return []lifecycle.Route{{Pattern: "POST /v1/refunds", Command: events.RefundCreate}}
}

// InFlight: a refund is moving on its own while a provider call is due. A
// deferred refund waits for its charge's batch (hours): Prefer: wait
// returns.
func (*Lifecycle) InFlight(status string) bool {
	switch status {
	case events.StatusPending, events.StatusVoiding, events.StatusRefunding:
		return true
	}
	return false
}

// Final: succeeded and failed end a refund.
func (*Lifecycle) Final(status string) bool {
	return status == events.StatusSucceeded || status == events.StatusFailed
}

// Parse validates refund.create; the amount is parsed by Create, against
// the charge's currency.
func (*Lifecycle) Parse(cmdType string, data json.RawMessage) (lifecycle.Parsed, error) {
	if cmdType != events.RefundCreate {
		return lifecycle.Parsed{}, errors.New("refund: not a refund command: " + cmdType)
	}
	var d events.RefundCreateData
	if err := events.Decode(data, &d); err != nil {
		return lifecycle.Parsed{}, err
	}
	if err := d.Validate(); err != nil {
		return lifecycle.Parsed{}, err
	}
	return lifecycle.Parsed{Data: &d,
		Parent: lifecycle.Ref{ID: uuid.MustParse(d.TransactionID), Field: "data.transaction_id"}}, nil
}

// Create starts a refund of its parent charge (c.Parent, locked): it checks
// the amount against the charge, reserves it on the charge and chooses void,
// refund or deferral (Start). A refusal returns before anything is changed.
func (l *Lifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	d := c.Parsed.Data.(*events.RefundCreateData)
	p := c.Parent
	if p == nil || p.Type != events.TypeCharge {
		return nil, events.Invalid("data.transaction_id", "transaction %s is not a charge", d.TransactionID)
	}
	amount, given, err := requested(d, p)
	if err != nil {
		return nil, err
	}
	f, effs, err := Start(chargeOf(p), l.Providers[p.Provider], amount, given)
	if err != nil {
		return nil, err
	}
	t := c.Txn
	t.Provider, t.Currency, t.Amount, t.Metadata = p.Provider, p.Currency, f.Amount, d.Metadata
	if d.Reason != "" {
		lifecycle.SetDetail(t, detailReason, events.Truncate(d.Reason, events.MaxMessageLength))
	}
	setState(t, f.Refund)
	c.ParentChanged = setCharge(p, f.Charge)
	return effs, nil
}

// requested is the amount refund.create asks for, in the charge's currency;
// given is false when it asks for all that is refundable.
func requested(d *events.RefundCreateData, p *store.Txn) (amount decimal.Decimal, given bool, err error) {
	if d.Currency != "" && d.Currency != p.Currency {
		return amount, false, events.Invalid("data.currency", "must be the charge's currency, %s", p.Currency)
	}
	if d.Amount == "" {
		return decimal.Zero, false, nil
	}
	amount, err = events.ParseAmount("data.amount", d.Amount, p.Currency, false)
	return amount, true, err
}

// Decide runs the refund machine (Decide) on t and its charge env.Parent.
func (l *Lifecycle) Decide(t *store.Txn, in lifecycle.Input, env *lifecycle.Env) ([]effect.Effect, error) {
	if env.Parent == nil {
		return nil, errors.New("refund: transaction " + t.ID.String() + " has no charge")
	}
	f := Family{Refund: state(t), Amount: t.Amount, Charge: chargeOf(env.Parent)}
	next, effs, err := Decide(f, l.Providers[t.Provider], in, env.Now, l.Policy)
	if err != nil {
		return nil, err
	}
	setState(t, next.Refund)
	if setCharge(env.Parent, next.Charge) {
		env.ParentChanged = true
	}
	return effs, nil
}

// Awaits reports whether t still waits for the result of op.
func (*Lifecycle) Awaits(t *store.Txn, op string) bool { return Awaits(state(t), op) }

// Show adds how the refund is (or was) carried out: void or refund.
func (*Lifecycle) Show(t *store.Txn, r *events.Transaction) { r.Method = state(t).Method }

// state reads the machine's state out of a row.
func state(t *store.Txn) State {
	var s State
	lifecycle.Detail(t, detailState, &s)
	s.Status, s.ProviderReference, s.Reason = t.Status, t.ProviderReference, t.Reason
	return s
}

// setState writes the machine's state into a row.
func setState(t *store.Txn, s State) {
	t.Status, t.ProviderReference, t.Reason = s.Status, s.ProviderReference, s.Reason
	lifecycle.SetDetail(t, detailState, s)
}

// chargeOf reads what a refund's decisions know of its charge.
func chargeOf(p *store.Txn) Charge {
	return Charge{Status: p.Status, Currency: p.Currency, Amount: p.Amount, Refunded: p.RefundedAmount, Reserved: p.ReservedAmount}
}

// setCharge writes c's status and amounts into the charge's row, and
// reports whether anything changed.
func setCharge(p *store.Txn, c Charge) bool {
	if p.Status == c.Status && p.RefundedAmount.Equal(c.Refunded) && p.ReservedAmount.Equal(c.Reserved) {
		return false
	}
	p.Status, p.RefundedAmount, p.ReservedAmount = c.Status, c.Refunded, c.Reserved
	return true
}
