package hold

import (
	"encoding/json"
	"errors"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Details keys of a hold.
const (
	detailState = "hold"
	// DetailCapture is the capture's {"amount": "..."}, for the capture
	// call.
	DetailCapture = "capture"
)

// Lifecycle registers the hold state machine (orchestrator/lifecycle).
type Lifecycle struct {
	Policy Policy
}

// New returns the hold lifecycle.
func New() *Lifecycle { return &Lifecycle{} }

var _ lifecycle.Lifecycle = (*Lifecycle)(nil)

// Type is "hold".
func (*Lifecycle) Type() string { return events.TypeHold }

// Commands: hold.create creates a hold of a consent; hold.release and
// hold.capture end it.
func (*Lifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: events.HoldCreate, Creates: true}, {Type: events.HoldRelease}, {Type: events.HoldCapture}}
}

// Routes are contract §4's hold routes.
func (*Lifecycle) Routes() []lifecycle.Route {
	return []lifecycle.Route{
		{Pattern: "POST /v1/holds", Command: events.HoldCreate},
		{Pattern: "POST /v1/holds/{id}/release", Command: events.HoldRelease, PathID: "transaction_id"},
		{Pattern: "POST /v1/holds/{id}/capture", Command: events.HoldCapture, PathID: "transaction_id"},
	}
}

// InFlight: a hold moves on its own while a call is due.
func (*Lifecycle) InFlight(status string) bool {
	switch status {
	case events.StatusPending, events.StatusReleasing, events.StatusCapturing:
		return true
	}
	return false
}

// Final: failed, released, captured and expired end a hold.
func (*Lifecycle) Final(status string) bool {
	switch status {
	case events.StatusFailed, events.StatusReleased, events.StatusCaptured, events.StatusExpired:
		return true
	}
	return false
}

// Parse validates the hold commands; a capture's amount is parsed by
// Decide, against the hold's currency.
func (*Lifecycle) Parse(cmdType string, data json.RawMessage) (lifecycle.Parsed, error) {
	switch cmdType {
	case events.HoldCreate:
		var d events.HoldCreateData
		if err := decode(data, &d, func() error { _, err := d.Validate(); return err }); err != nil {
			return lifecycle.Parsed{}, err
		}
		return lifecycle.Parsed{Data: &d, Parent: lifecycle.Ref{ID: uuid.MustParse(d.ConsentID), Field: "data.consent_id"}}, nil
	case events.HoldRelease:
		var d events.HoldReleaseData
		if err := decode(data, &d, d.Validate); err != nil {
			return lifecycle.Parsed{}, err
		}
		return acting(d.TransactionID, Release{}, d.Metadata), nil
	case events.HoldCapture:
		var d events.HoldCaptureData
		if err := decode(data, &d, d.Validate); err != nil {
			return lifecycle.Parsed{}, err
		}
		return acting(d.TransactionID, captureInput{amount: d.Amount}, d.Metadata), nil
	}
	return lifecycle.Parsed{}, errors.New("hold: not a hold command: " + cmdType)
}

func decode(data json.RawMessage, v any, validate func() error) error {
	if err := events.Decode(data, v); err != nil {
		return err
	}
	return validate()
}

func acting(id string, in lifecycle.Input, meta map[string]string) lifecycle.Parsed {
	return lifecycle.Parsed{Target: lifecycle.Ref{ID: uuid.MustParse(id), Field: "data.transaction_id"}, Input: in, Metadata: meta}
}

// captureInput is hold.capture with its amount as given ("" = all).
type captureInput struct{ amount string }

// Create starts a hold of its consent (c.Parent, locked): granted, its
// token not expired at c.Now (Start).
func (l *Lifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	d := c.Parsed.Data.(*events.HoldCreateData)
	p := c.Parent
	if p == nil || p.Type != events.TypeConsent {
		return nil, events.Invalid("data.consent_id", "transaction %s is not a consent", d.ConsentID)
	}
	amount, err := d.Validate()
	if err != nil {
		return nil, err
	}
	cons := Consent{Status: p.Status}
	cons.TokenExpiresAt, _ = consent.Granted(p)
	s, effs, err := Start(cons, c.Now)
	if err != nil {
		return nil, err
	}
	t := c.Txn
	t.Provider, t.Amount, t.Currency, t.Reference, t.Metadata = events.ProviderOnePipe, amount, d.Currency, d.Reference, d.Metadata
	setState(t, s)
	return effs, nil
}

// Decide runs the hold machine (Decide) on t; a capture's amount is parsed
// here, in the hold's currency.
func (l *Lifecycle) Decide(t *store.Txn, in lifecycle.Input, env *lifecycle.Env) ([]effect.Effect, error) {
	if c, ok := in.(captureInput); ok {
		capture := Capture{Given: c.amount != ""}
		if capture.Given {
			a, err := events.ParseAmount("data.amount", c.amount, t.Currency, false)
			if err != nil {
				return nil, err
			}
			capture.Amount = a
		}
		in = capture
	}
	next, effs, err := Decide(state(t), t.Amount, in, env.Now, l.Policy)
	if err != nil {
		return nil, err
	}
	setState(t, next)
	return effs, nil
}

// Awaits reports whether t still waits for the result of op.
func (*Lifecycle) Awaits(t *store.Txn, op string) bool { return Awaits(state(t), op) }

// Show adds hold_expires_at.
func (*Lifecycle) Show(t *store.Txn, r *events.Transaction) { r.HoldExpiresAt = state(t).HoldExpiresAt }

type captureDetail struct {
	Amount string `json:"amount"`
}

// state reads the machine's state out of a row.
func state(t *store.Txn) State {
	var s State
	lifecycle.Detail(t, detailState, &s)
	var c captureDetail
	if lifecycle.Detail(t, DetailCapture, &c) {
		s.CaptureAmount = c.Amount
	}
	s.Status, s.Reason, s.ProviderReference = t.Status, t.Reason, t.ProviderReference
	return s
}

// setState writes the machine's state into a row.
func setState(t *store.Txn, s State) {
	t.Status, t.Reason, t.ProviderReference = s.Status, s.Reason, s.ProviderReference
	lifecycle.SetDetail(t, detailState, s)
	if s.CaptureAmount == "" {
		delete(t.Details, DetailCapture)
		return
	}
	amount := s.CaptureAmount
	if d, err := decimal.NewFromString(amount); err == nil {
		amount = events.FormatAmount(d, t.Currency)
	}
	lifecycle.SetDetail(t, DetailCapture, captureDetail{Amount: amount})
}
