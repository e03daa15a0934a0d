package payment

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/code"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// detailState is the details key of a payment's machine state.
const detailState = "payment_state"

// Lifecycle registers the payment state machine (orchestrator/lifecycle).
type Lifecycle struct {
	Policy Policy
}

// New returns the payment lifecycle.
func New() *Lifecycle { return &Lifecycle{} }

var _ lifecycle.Lifecycle = (*Lifecycle)(nil)

// Type is "payment".
func (*Lifecycle) Type() string { return events.TypePayment }

// Commands: payment.record, internal (from a verified provider callback).
func (*Lifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: events.PaymentRecord, Creates: true, Internal: true}}
}

// Routes: none; payments arrive by the provider-callback route.
func (*Lifecycle) Routes() []lifecycle.Route { return nil }

// InFlight: pending while the provider is asked.
func (*Lifecycle) InFlight(status string) bool { return status == events.StatusPending }

// Final: every status but pending.
func (*Lifecycle) Final(status string) bool { return status != events.StatusPending }

// Parse validates payment.record; its parent is the code its merchant
// reference names, if any (Optional: an unknown code does not reject it).
func (*Lifecycle) Parse(cmdType string, data json.RawMessage) (lifecycle.Parsed, error) {
	if cmdType != events.PaymentRecord {
		return lifecycle.Parsed{}, errors.New("payment: not a payment command: " + cmdType)
	}
	var d events.CodePaymentData
	if err := events.Decode(data, &d); err != nil {
		return lifecycle.Parsed{}, err
	}
	if err := d.Validate(); err != nil {
		return lifecycle.Parsed{}, err
	}
	return lifecycle.Parsed{Data: &d, Parent: lifecycle.Ref{Reference: d.MerchantReference, Type: events.TypeCode,
		Field: "data.merchant_reference", Optional: true}}, nil
}

// Create records the payment, pending its verify.
func (l *Lifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	d := c.Parsed.Data.(*events.CodePaymentData)
	amount, err := events.ParseAmount("data.amount", d.Amount, d.Currency, false)
	if err != nil {
		return nil, err
	}
	t := c.Txn
	t.Provider, t.Amount, t.Currency, t.ProviderReference = events.ProviderCodes, amount, d.Currency, d.ProviderPaymentID
	lifecycle.SetDetail(t, detailData, d)
	s, effs := Start()
	writeState(t, s)
	return effs, nil
}

// Decide runs the payment machine on t and applies its verdict to the
// parent code (env.Parent, locked), in the same commit.
func (l *Lifecycle) Decide(t *store.Txn, in lifecycle.Input, env *lifecycle.Env) ([]effect.Effect, error) {
	var c Code
	if env.Parent != nil {
		c.Status = env.Parent.Status
	}
	next, effs, verdict, reason, err := Decide(readState(t), in, c, env.Now, l.Policy)
	if err != nil {
		return nil, err
	}
	if verdict == Paid && (env.Parent == nil || !code.TakePayment(env.Parent)) {
		// The code's status said active; TakePayment disagreeing is a bug.
		return nil, errors.New("payment: the code did not take a payment it was active for")
	}
	writeState(t, next)
	if reason != nil {
		t.Reason = reason
	}
	if verdict != None && env.Parent != nil {
		env.ParentEvents = append(env.ParentEvents, parentEvent(t, verdict, c))
	}
	return effs, nil
}

// parentEvent is the code's code.paid or code.payment_unexpected.
func parentEvent(t *store.Txn, v Verdict, c Code) effect.Emit {
	d, _ := Data(t)
	detail := map[string]any{"payment_id": t.ID.String(), "amount": d.Amount, "tip": tipOf(d), "currency": d.Currency,
		"payer_reference": d.PayerReference, "provider_payment_id": d.ProviderPaymentID, "paid_at": d.PaidAt.UTC().Format(time.RFC3339Nano)}
	kind := events.EventPaid
	if v == Unexpected {
		kind = events.EventPaymentUnexpected
		detail["code_status"] = c.Status
	}
	b, _ := json.Marshal(detail)
	return effect.Emit{Kind: kind, Detail: b}
}

func tipOf(d events.CodePaymentData) string {
	tip, err := decimal.NewFromString(d.Tip)
	if err != nil {
		tip = decimal.Zero
	}
	return events.FormatAmount(tip, d.Currency)
}

// Awaits reports whether t still waits for the result of op.
func (*Lifecycle) Awaits(t *store.Txn, op string) bool {
	s := readState(t)
	return op != "" && s.Op == op
}

// Show adds the code the payment was for.
func (*Lifecycle) Show(t *store.Txn, r *events.Transaction) {
	if d, err := Data(t); err == nil {
		r.Code = d.Code
	}
}

func readState(t *store.Txn) State {
	var s State
	lifecycle.Detail(t, detailState, &s)
	s.Status = t.Status
	return s
}

func writeState(t *store.Txn, s State) {
	t.Status = s.Status
	lifecycle.SetDetail(t, detailState, s)
}
