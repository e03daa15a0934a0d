package charge

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Details keys of a charge.
const (
	detailState         = "charge"         // State (the machine's own fields)
	detailPaymentMethod = "payment_method" // events.PaymentMethod (masked)
	detailSealedPM      = "pm_sealed"      // the payment method, sealed, until the charge call is done
	detailDevice        = "device"
	detailApp           = "app"
	detailCustomer      = "customer_id"
	detailConfirmInfo   = "confirm_info_sealed" // charge.confirm's payment_method_info, sealed, until the confirm ends
)

// Purposes the sealed values of a charge are bound to (lifecycle.DetailAAD).
const (
	PurposePaymentMethod = "payment_method"
	PurposeConfirmInfo   = "confirm_payment_method_info"
)

// Lifecycle registers the charge state machine (orchestrator/lifecycle).
type Lifecycle struct {
	// Policy holds the operator's retry timings; ConfirmDeadline is taken
	// from each merchant.
	Policy Policy
	// providers are the connectors' declarations: which providers take
	// charges, and how (sale or authorize → confirm, payment methods).
	// None declared: every provider events.Validate knows is taken as
	// authorize → confirm (the machine before sales existed; tests).
	providers lifecycle.Providers
}

// New returns the charge lifecycle with the operator's policy and the
// providers' declarations.
func New(p Policy, providers ...lifecycle.Provider) *Lifecycle {
	return &Lifecycle{Policy: p, providers: lifecycle.NewProviders(providers...)}
}

var _ lifecycle.Lifecycle = (*Lifecycle)(nil)

// Type is "charge".
func (*Lifecycle) Type() string { return events.TypeCharge }

// Commands: charge.create creates a charge; confirm and reject act on one.
func (*Lifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{
		{Type: events.ChargeCreate, Creates: true},
		{Type: events.ChargeConfirm},
		{Type: events.ChargeReject},
	}
}

// Routes are contract §4's charge routes.
func (*Lifecycle) Routes() []lifecycle.Route {
	return []lifecycle.Route{
		{Pattern: "POST /v1/charges", Command: events.ChargeCreate},
		{Pattern: "POST /v1/charges/reject-by-reference", Command: events.ChargeReject},
		{Pattern: "POST /v1/charges/{id}/confirm", Command: events.ChargeConfirm, PathID: "transaction_id"},
		{Pattern: "POST /v1/charges/{id}/reject", Command: events.ChargeReject, PathID: "transaction_id"},
	}
}

// InFlight: a charge is moving on its own while a provider call is due.
func (*Lifecycle) InFlight(status string) bool {
	switch status {
	case events.StatusPending, events.StatusConfirming, events.StatusReversing:
		return true
	}
	return false
}

// Final: confirmed, reversed, declined and failed end a charge (a late
// approval of a reversed or failed charge reopens it, and is rare); a sale
// ends its own lifecycle at succeeded (settlement and refunds follow).
func (*Lifecycle) Final(status string) bool {
	switch status {
	case events.StatusConfirmed, events.StatusReversed, events.StatusDeclined, events.StatusFailed, events.StatusSucceeded:
		return true
	}
	return false
}

// created is a validated charge.create.
type created struct {
	data   events.ChargeCreateData
	amount decimal.Decimal
	sale   bool
	method methodRef
	shown  *events.PaymentMethod // nil: masked from the raw payment method
}

// confirmCmd is charge.confirm with the data passed on to the provider.
type confirmCmd struct{ info json.RawMessage }

// Parse validates a charge command.
func (l *Lifecycle) Parse(cmdType string, data json.RawMessage) (lifecycle.Parsed, error) {
	switch cmdType {
	case events.ChargeCreate:
		var d events.ChargeCreateData
		if err := events.Decode(data, &d); err != nil {
			return lifecycle.Parsed{}, err
		}
		amount, err := d.Validate()
		if err != nil {
			return lifecycle.Parsed{}, err
		}
		c := &created{data: d, amount: amount}
		if err := l.parseMethod(c); err != nil {
			return lifecycle.Parsed{}, err
		}
		return lifecycle.Parsed{Data: c}, nil
	case events.ChargeConfirm:
		var d events.ChargeConfirmData
		if err := events.Decode(data, &d); err != nil {
			return lifecycle.Parsed{}, err
		}
		if err := d.Validate(); err != nil {
			return lifecycle.Parsed{}, err
		}
		return lifecycle.Parsed{Target: lifecycle.Ref{ID: uuid.MustParse(d.TransactionID), Field: "data.transaction_id"},
			Input: confirmCmd{info: d.PaymentMethodInfo}, Metadata: d.Metadata}, nil
	case events.ChargeReject:
		var d events.ChargeRejectData
		if err := events.Decode(data, &d); err != nil {
			return lifecycle.Parsed{}, err
		}
		if err := d.Validate(); err != nil {
			return lifecycle.Parsed{}, err
		}
		p := lifecycle.Parsed{Input: Reject{}, Metadata: d.Metadata,
			Target: lifecycle.Ref{Reference: d.Reference, Type: events.TypeCharge, Field: "data.reference"}}
		if d.TransactionID != "" {
			p.Target = lifecycle.Ref{ID: uuid.MustParse(d.TransactionID), Field: "data.transaction_id"}
		}
		return p, nil
	}
	return lifecycle.Parsed{}, errors.New("charge: not a charge command: " + cmdType)
}

// Create starts a charge: pending, with its card data sealed until the
// charge call is made, and the call queued.
func (l *Lifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	d := c.Parsed.Data.(*created)
	t := c.Txn
	t.Provider, t.Amount, t.Currency = d.data.Provider, d.amount, d.data.Currency
	t.Reference, t.Metadata = d.data.Reference, d.data.Metadata
	state, effs := Start()
	state.Sale = d.sale
	setState(t, state)
	shown := MaskPaymentMethod(d.data.PaymentMethod)
	if d.shown != nil {
		shown = *d.shown
	}
	if d.data.Save {
		id := saveID(t)
		shown.ID = id
		lifecycle.SetDetail(t, detailSaveAs, id)
	}
	if d.method.Type != "" {
		lifecycle.SetDetail(t, detailMethod, d.method)
	}
	lifecycle.SetDetail(t, detailPaymentMethod, shown)
	c.Seal(t, detailSealedPM, PurposePaymentMethod, d.data.PaymentMethod)
	lifecycle.SetRawDetail(t, detailDevice, d.data.Device)
	lifecycle.SetRawDetail(t, detailApp, d.data.App)
	if d.data.CustomerID != "" {
		lifecycle.SetDetail(t, detailCustomer, d.data.CustomerID)
	}
	return effs, nil
}

// Decide runs the charge machine (Decide) on t.
func (l *Lifecycle) Decide(t *store.Txn, in lifecycle.Input, env *lifecycle.Env) ([]effect.Effect, error) {
	var info json.RawMessage
	if c, ok := in.(confirmCmd); ok {
		if t.ReservedAmount.IsPositive() {
			return nil, fmt.Errorf("%w: a refund is releasing this charge", ErrInvalidState)
		}
		in, info = Confirm{}, c.info
	}
	next, effs, err := Decide(state(t), in, env.Now, l.policy(env))
	if err != nil {
		return nil, err
	}
	setState(t, next)
	if len(info) > 0 && next.Status == events.StatusConfirming {
		// Kept sealed until the confirm call has been made (it may carry
		// the card's cryptogram), then dropped with the confirm's end.
		env.Seal(t, detailConfirmInfo, PurposeConfirmInfo, info)
	}
	dropSealedWhenDone(t)
	return effs, nil
}

func (l *Lifecycle) policy(env *lifecycle.Env) Policy {
	p := l.Policy
	if env.Merchant != nil {
		p.ConfirmDeadline = env.Merchant.ConfirmDeadline
	}
	return p.WithDefaults()
}

// Awaits reports whether t still waits for the result of op.
func (*Lifecycle) Awaits(t *store.Txn, op string) bool { return Awaits(state(t), op) }

// Show adds the masked payment method and, while authorized, the confirm
// deadline.
func (*Lifecycle) Show(t *store.Txn, r *events.Transaction) {
	var pm events.PaymentMethod
	if lifecycle.Detail(t, detailPaymentMethod, &pm) {
		r.PaymentMethod = &pm
	}
	if s := state(t); !s.ConfirmBy.IsZero() && t.Status == events.StatusAuthorized {
		cb := s.ConfirmBy
		r.ConfirmBy = &cb
	}
}

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

// dropSealedWhenDone removes sealed payment data once the call that needs
// it is made or never will be: the card data when the charge leaves
// pending, the confirm's data when it leaves confirming.
func dropSealedWhenDone(t *store.Txn) {
	if t.Status != events.StatusPending {
		delete(t.Details, detailSealedPM)
	}
	if t.Status != events.StatusConfirming {
		delete(t.Details, detailConfirmInfo)
	}
}

// PaymentMethod returns the sealed payment method a charge call needs.
func PaymentMethod(s *secret.Sealer, t *store.Txn) ([]byte, error) {
	plain, ok, err := lifecycle.OpenDetail(s, t, detailSealedPM, PurposePaymentMethod)
	if err == nil && !ok {
		err = errors.New("payment method no longer held")
	}
	return plain, err
}

// ConfirmInfo returns charge.confirm's payment_method_info for the confirm
// call (nil when the merchant sent none).
func ConfirmInfo(s *secret.Sealer, t *store.Txn) (json.RawMessage, error) {
	plain, _, err := lifecycle.OpenDetail(s, t, detailConfirmInfo, PurposeConfirmInfo)
	return plain, err
}

// Device and App are the device and app details a charge call passes on.
func Device(t *store.Txn) json.RawMessage { return t.Details[detailDevice] }

// App: see Device.
func App(t *store.Txn) json.RawMessage { return t.Details[detailApp] }

// detailSaveAs is the pm_ id a charge saves its payment method as (save:
// true), and detailMethod how it was paid (see Method).
const (
	detailSaveAs = "save_as"
	detailMethod = "method"
)

// methodRef is how a charge was paid: the payment method type and, for a
// saved one (type token), our pm_ id.
type methodRef struct {
	Type string `json:"type"`
	PMID string `json:"pm_id,omitempty"`
}

// SaveAs is the pm_ id under which a charge that asked to save its card or
// account (save: true) keeps the provider's token; "" when it did not ask.
func SaveAs(t *store.Txn) string {
	var id string
	lifecycle.Detail(t, detailSaveAs, &id)
	return id
}

// Method is how charge t was paid: its payment method type (events.PaymentCard,
// PaymentBankAccount or PaymentToken) and, for a token, our pm_ id. A charge
// made before this was recorded (ono//connect) reads as a card.
func Method(t *store.Txn) (typ, pmID string) {
	var m methodRef
	if !lifecycle.Detail(t, detailMethod, &m) || m.Type == "" {
		return events.PaymentCard, ""
	}
	return m.Type, m.PMID
}
