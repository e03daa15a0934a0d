package engine_test

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

// Two toy lifecycles, registered only in these tests, make a family:
// toycharge is created captured; toyrefund is its child, and each refund
// (toyrefund.create) or increase of one (toyrefund.increase) adds to the
// parent's refunded_amount, in the same commit as the child.
const (
	toyCharge       = "toycharge"
	toyChargeCreate = "toycharge.create"
	toyRefund       = "toyrefund"
	toyRefundCreate = "toyrefund.create"
	toyIncrease     = "toyrefund.increase"
)

// toyRefundData is toyrefund.create's and toyrefund.increase's data.
// Unchecked skips the lifecycle's own check of the refundable amount, so
// that only the database's check constraint stands in the way.
type toyRefundData struct {
	ChargeID      string `json:"charge_id,omitempty"`
	TransactionID string `json:"transaction_id,omitempty"`
	Amount        string `json:"amount"`
	Unchecked     bool   `json:"unchecked,omitempty"`
}

type toyChargeLifecycle struct{ noShow }

func (toyChargeLifecycle) Type() string { return toyCharge }
func (toyChargeLifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: toyChargeCreate, Creates: true}}
}

func (toyChargeLifecycle) Parse(_ string, data json.RawMessage) (lifecycle.Parsed, error) {
	var d struct{ Amount string }
	if err := json.Unmarshal(data, &d); err != nil {
		return lifecycle.Parsed{}, err
	}
	amount, err := events.ParseAmount("data.amount", d.Amount, "ZAR", false)
	return lifecycle.Parsed{Data: amount}, err
}

func (toyChargeLifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	c.Txn.Status, c.Txn.Provider, c.Txn.Amount, c.Txn.Currency = "captured", "toy", c.Parsed.Data.(decimal.Decimal), "ZAR"
	return nil, nil
}

func (toyChargeLifecycle) Decide(*store.Txn, lifecycle.Input, *lifecycle.Env) ([]effect.Effect, error) {
	return nil, lifecycle.ErrInvalidState
}

type toyRefundLifecycle struct{ noShow }

// increase is toyrefund.increase's input.
type increase struct {
	amount    decimal.Decimal
	unchecked bool
}

func (toyRefundLifecycle) Type() string { return toyRefund }
func (toyRefundLifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: toyRefundCreate, Creates: true}, {Type: toyIncrease}}
}

func (toyRefundLifecycle) Parse(cmdType string, data json.RawMessage) (lifecycle.Parsed, error) {
	var d toyRefundData
	if err := json.Unmarshal(data, &d); err != nil {
		return lifecycle.Parsed{}, err
	}
	amount, err := events.ParseAmount("data.amount", d.Amount, "ZAR", false)
	if err != nil {
		return lifecycle.Parsed{}, err
	}
	in := increase{amount: amount, unchecked: d.Unchecked}
	if cmdType == toyIncrease {
		id, err := uuid.Parse(d.TransactionID)
		if err != nil {
			return lifecycle.Parsed{}, events.Invalid("data.transaction_id", "not a uuid")
		}
		return lifecycle.Parsed{Target: lifecycle.Ref{ID: id, Field: "data.transaction_id"}, Input: in}, nil
	}
	id, err := uuid.Parse(d.ChargeID)
	if err != nil {
		return lifecycle.Parsed{}, events.Invalid("data.charge_id", "not a uuid")
	}
	return lifecycle.Parsed{Parent: lifecycle.Ref{ID: id, Type: toyCharge, Field: "data.charge_id"}, Data: in}, nil
}

func (toyRefundLifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	in := c.Parsed.Data.(increase)
	if c.Parent.Type != toyCharge {
		return nil, lifecycle.Reject(events.ReasonNotFound, "data.charge_id", "no %s %s", toyCharge, c.Parent.ID)
	}
	if err := refundFrom(c.Parent, in); err != nil {
		return nil, err
	}
	c.ParentChanged = true
	c.Txn.Status, c.Txn.Provider, c.Txn.Amount, c.Txn.Currency = "refunded", c.Parent.Provider, in.amount, c.Parent.Currency
	return nil, nil
}

func (toyRefundLifecycle) Decide(t *store.Txn, in lifecycle.Input, env *lifecycle.Env) ([]effect.Effect, error) {
	inc, ok := in.(increase)
	if !ok {
		return nil, lifecycle.ErrIgnored
	}
	if env.Parent == nil {
		return nil, errors.New("toyrefund: parent not locked")
	}
	if err := refundFrom(env.Parent, inc); err != nil {
		return nil, err
	}
	env.ParentChanged = true
	var n int
	lifecycle.Detail(t, "increases", &n)
	lifecycle.SetDetail(t, "increases", n+1)
	return nil, nil
}

// refundFrom adds in's amount to parent's refunded amount, and marks the
// parent refunded when all of it is.
func refundFrom(parent *store.Txn, in increase) error {
	total := parent.RefundedAmount.Add(in.amount)
	if !in.unchecked && total.GreaterThan(parent.Amount) {
		return lifecycle.Reject(events.ReasonAmountExceedsRefund, "data.amount", "%s would refund %s of %s", in.amount, total, parent.Amount)
	}
	parent.RefundedAmount = total
	if total.Equal(parent.Amount) {
		parent.Status = "refunded"
	}
	return nil
}

// noShow is the rest of a toy lifecycle: no routes, nothing in flight, no
// calls awaited, nothing of its own to show.
type noShow struct{}

func (noShow) Routes() []lifecycle.Route            { return nil }
func (noShow) InFlight(string) bool                 { return false }
func (noShow) Final(string) bool                    { return false }
func (noShow) Awaits(*store.Txn, string) bool       { return false }
func (noShow) Show(*store.Txn, *events.Transaction) {}
