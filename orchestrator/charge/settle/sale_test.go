package settle_test

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Two tiny lifecycles stand in for the charge and refund lifecycles, so
// that these tests depend only on the inputs' contract: a "charge" sale is
// created succeeded (at its creation, or at succeeded_at) and moves to
// settled on a Settle whose At is not before it succeeded; a "refund" child
// is created deferred and takes ParentSettled once its parent is settled.
// Each records what it was given in its details.
const (
	saleCreate  = "testsale.create"
	childCreate = "testchild.create"
)

type saleData struct {
	SucceededAt *time.Time `json:"succeeded_at,omitempty"`
	ChargeID    string     `json:"charge_id,omitempty"`
	// RefundsParent: the child, refunded, moves its parent to
	// partially_refunded (as a real refund of part of a settled charge does).
	RefundsParent bool `json:"refunds_parent,omitempty"`
}

type saleLifecycle struct{ quiet }

func (saleLifecycle) Type() string { return events.TypeCharge }
func (saleLifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: saleCreate, Creates: true}}
}

func (saleLifecycle) Parse(_ string, data json.RawMessage) (lifecycle.Parsed, error) {
	var d saleData
	err := json.Unmarshal(data, &d)
	return lifecycle.Parsed{Data: d}, err
}

func (saleLifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	d := c.Parsed.Data.(saleData)
	at := c.Now
	if d.SucceededAt != nil {
		at = *d.SucceededAt
	}
	c.Txn.Status, c.Txn.Provider, c.Txn.Amount, c.Txn.Currency = events.StatusSucceeded, "sale", decimal.NewFromInt(10), "ZAR"
	lifecycle.SetDetail(c.Txn, "succeeded_at", at)
	return nil, nil
}

func (saleLifecycle) Decide(t *store.Txn, in lifecycle.Input, _ *lifecycle.Env) ([]effect.Effect, error) {
	s, ok := in.(lifecycle.Settle)
	if !ok || t.Status != events.StatusSucceeded {
		return nil, lifecycle.ErrIgnored
	}
	var at time.Time
	lifecycle.Detail(t, "succeeded_at", &at)
	if at.After(s.At) {
		return nil, lifecycle.ErrIgnored
	}
	t.Status = events.StatusSettled
	lifecycle.SetDetail(t, "settled_by", s.At)
	return nil, nil
}

type childLifecycle struct{ quiet }

func (childLifecycle) Type() string { return events.TypeRefund }
func (childLifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: childCreate, Creates: true}}
}

func (childLifecycle) Parse(_ string, data json.RawMessage) (lifecycle.Parsed, error) {
	var d saleData
	if err := json.Unmarshal(data, &d); err != nil {
		return lifecycle.Parsed{}, err
	}
	id, err := uuid.Parse(d.ChargeID)
	return lifecycle.Parsed{Parent: lifecycle.Ref{ID: id, Type: events.TypeCharge, Field: "data.charge_id"}, Data: d}, err
}

func (childLifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	c.Txn.Status, c.Txn.Provider, c.Txn.Amount, c.Txn.Currency = events.StatusDeferred, c.Parent.Provider, decimal.NewFromInt(1), "ZAR"
	lifecycle.SetDetail(c.Txn, "refunds_parent", c.Parsed.Data.(saleData).RefundsParent)
	return nil, nil
}

func (childLifecycle) Decide(t *store.Txn, in lifecycle.Input, env *lifecycle.Env) ([]effect.Effect, error) {
	if _, ok := in.(lifecycle.ParentSettled); !ok || t.Status != events.StatusDeferred {
		return nil, lifecycle.ErrIgnored
	}
	if env.Parent == nil || env.Parent.Status != events.StatusSettled && env.Parent.Status != events.StatusPartiallyRefunded {
		return nil, lifecycle.ErrIgnored
	}
	t.Status = events.StatusRefunded
	var refundsParent bool
	if lifecycle.Detail(t, "refunds_parent", &refundsParent); refundsParent {
		env.Parent.Status, env.ParentChanged = events.StatusPartiallyRefunded, true
	}
	return nil, nil
}

// quiet is the rest of a test lifecycle.
type quiet struct{}

func (quiet) Routes() []lifecycle.Route            { return nil }
func (quiet) InFlight(string) bool                 { return false }
func (quiet) Final(string) bool                    { return false }
func (quiet) Awaits(*store.Txn, string) bool       { return false }
func (quiet) Show(*store.Txn, *events.Transaction) {}
