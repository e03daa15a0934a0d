package code

import (
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// detailState is the details key of a code's machine state.
const detailState = "code"

// Lifecycle registers the code state machine (orchestrator/lifecycle).
type Lifecycle struct {
	Policy Policy
}

// New returns the code lifecycle.
func New() *Lifecycle { return &Lifecycle{} }

var _ lifecycle.Lifecycle = (*Lifecycle)(nil)

// Type is "code".
func (*Lifecycle) Type() string { return events.TypeCode }

// Commands: code.create makes a code; the others change it.
func (*Lifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: events.CodeCreate, Creates: true}, {Type: events.CodeUpdate}, {Type: events.CodeSetAmount},
		{Type: events.CodeBlock}, {Type: events.CodeUnblock}, {Type: events.CodeDelete}}
}

// Routes are contract §4's code routes.
func (*Lifecycle) Routes() []lifecycle.Route {
	return []lifecycle.Route{
		{Pattern: "POST /v1/codes", Command: events.CodeCreate},
		{Pattern: "PATCH /v1/codes/{id}", Command: events.CodeUpdate, PathID: "transaction_id"},
		{Pattern: "PUT /v1/codes/{id}/amount", Command: events.CodeSetAmount, PathID: "transaction_id"},
		{Pattern: "POST /v1/codes/{id}/block", Command: events.CodeBlock, PathID: "transaction_id"},
		{Pattern: "POST /v1/codes/{id}/unblock", Command: events.CodeUnblock, PathID: "transaction_id"},
		{Pattern: "DELETE /v1/codes/{id}", Command: events.CodeDelete, PathID: "transaction_id"},
	}
}

// InFlight: a code moves on its own while its create is due.
func (*Lifecycle) InFlight(status string) bool { return status == events.StatusPending }

// Final: used, expired, deleted and failed end a code.
func (*Lifecycle) Final(status string) bool {
	switch status {
	case events.StatusUsed, events.StatusExpired, events.StatusDeleted, events.StatusFailed:
		return true
	}
	return false
}

// Parse validates the code commands; what depends on the code (a new
// amount's currency, an update's basket) is checked by Decide.
func (*Lifecycle) Parse(cmdType string, data json.RawMessage) (lifecycle.Parsed, error) {
	switch cmdType {
	case events.CodeCreate:
		var d events.CodeCreateData
		if err := decode(data, &d, func() error { _, err := d.Validate(); return err }); err != nil {
			return lifecycle.Parsed{}, err
		}
		return lifecycle.Parsed{Data: &d}, nil
	case events.CodeUpdate:
		var d events.CodeUpdateData
		if err := decode(data, &d, d.Validate); err != nil {
			return lifecycle.Parsed{}, err
		}
		return acting(d.TransactionID, Update{Data: d}, d.Metadata), nil
	case events.CodeSetAmount:
		var d events.CodeAmountData
		if err := decode(data, &d, d.Validate); err != nil {
			return lifecycle.Parsed{}, err
		}
		return acting(d.TransactionID, SetAmount{Amount: d.Amount, ExpiresAt: d.ExpiresAt}, nil), nil
	case events.CodeBlock, events.CodeUnblock, events.CodeDelete:
		var d events.CodeActionData
		if err := decode(data, &d, d.Validate); err != nil {
			return lifecycle.Parsed{}, err
		}
		return acting(d.TransactionID, Action{Op: actionOps[cmdType]}, nil), nil
	}
	return lifecycle.Parsed{}, errors.New("code: not a code command: " + cmdType)
}

var actionOps = map[string]string{events.CodeBlock: OpBlock, events.CodeUnblock: OpUnblock, events.CodeDelete: OpDelete}

func decode(data json.RawMessage, v any, validate func() error) error {
	if err := events.Decode(data, v); err != nil {
		return err
	}
	return validate()
}

func acting(id string, in lifecycle.Input, meta map[string]string) lifecycle.Parsed {
	return lifecycle.Parsed{Target: lifecycle.Ref{ID: uuid.MustParse(id), Field: "data.transaction_id"}, Input: in, Metadata: meta}
}

// Create starts a code (Start): pending, its create call due.
func (l *Lifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	d := c.Parsed.Data.(*events.CodeCreateData)
	amount, err := d.Validate()
	if err != nil {
		return nil, err
	}
	s, effs, err := Start(d, amount, c.Now)
	if err != nil {
		return nil, err
	}
	t := c.Txn
	t.Provider, t.Amount, t.Currency, t.Reference, t.Metadata = events.ProviderCodes, amount, d.Currency, d.Reference, d.Metadata
	writeState(t, s)
	return effs, nil
}

// Decide runs the code machine (Decide) on t.
func (l *Lifecycle) Decide(t *store.Txn, in lifecycle.Input, env *lifecycle.Env) ([]effect.Effect, error) {
	s, ok := readState(t)
	if !ok {
		return nil, ErrNoCode
	}
	next, effs, err := Decide(s, in, env.Now, l.Policy)
	if err != nil {
		return nil, err
	}
	writeState(t, next)
	return effs, nil
}

// Awaits reports whether t still waits for the result of op.
func (*Lifecycle) Awaits(t *store.Txn, op string) bool {
	s, ok := readState(t)
	return ok && Awaits(s, op)
}

// Show adds the code's number and expiry, and its current amount: a
// set_amount changes the code's amount, which the transaction row (whose
// amount the store never updates) keeps as created.
func (*Lifecycle) Show(t *store.Txn, r *events.Transaction) {
	s, ok := readState(t)
	if !ok {
		return
	}
	r.Code, r.ExpiresAt, r.Amount = t.ProviderReference, s.Spec.Expires, events.FormatAmount(s.Spec.Amount, t.Currency)
}

// readState reads the machine's state out of a row.
func readState(t *store.Txn) (State, bool) {
	var s State
	if !lifecycle.Detail(t, detailState, &s) {
		return State{}, false
	}
	s.Status, s.Reason, s.ProviderReference = t.Status, t.Reason, t.ProviderReference
	return s, true
}

// writeState writes the machine's state into a row.
func writeState(t *store.Txn, s State) {
	t.Status, t.Reason, t.ProviderReference = s.Status, s.Reason, s.ProviderReference
	t.Amount = s.Spec.Amount // what the code is for now (code.set_amount changes it)
	lifecycle.SetDetail(t, detailState, s)
}
