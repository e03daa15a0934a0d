package consent

import (
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Details keys of a consent, and the purposes its sealed values are bound
// to (lifecycle.DetailAAD).
const (
	detailState    = "consent"        // State (the machine's own fields)
	detailCustomer = "customer"       // events.ConsentCustomer, for the calls
	detailShown    = "payment_method" // the auth, masked (events.ConsentAuth.Masked)

	DetailAuth          = "auth_sealed"
	PurposeAuth         = "onepipe.auth"
	DetailOTP           = "otp_sealed"
	PurposeOTP          = "onepipe.otp"
	DetailProviderToken = "provider_token_sealed"
	PurposeProviderTok  = "onepipe.provider_token"
)

// Lifecycle registers the consent state machine (orchestrator/lifecycle).
type Lifecycle struct {
	Policy Policy
}

// New returns the consent lifecycle.
func New() *Lifecycle { return &Lifecycle{} }

var _ lifecycle.Lifecycle = (*Lifecycle)(nil)

// Type is "consent".
func (*Lifecycle) Type() string { return events.TypeConsent }

// Commands: consent.create creates a consent, consent.validate continues it.
func (*Lifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: events.ConsentCreate, Creates: true}, {Type: events.ConsentValidate}}
}

// Routes are contract §4's consent routes.
func (*Lifecycle) Routes() []lifecycle.Route {
	return []lifecycle.Route{
		{Pattern: "POST /v1/consents", Command: events.ConsentCreate},
		{Pattern: "POST /v1/consents/{id}/validate", Command: events.ConsentValidate, PathID: "transaction_id"},
	}
}

// InFlight: a consent moves on its own while pending; awaiting the
// customer, it waits for consent.validate (Prefer: wait returns).
func (*Lifecycle) InFlight(status string) bool { return status == events.StatusPending }

// Final: granted and failed end a consent (the verification hold's release
// may still follow a grant, without a new status).
func (*Lifecycle) Final(status string) bool {
	return status == events.StatusGranted || status == events.StatusFailed
}

// Parse validates consent.create and consent.validate. The OTP travels to
// Decide inside a lifecycle.Secret, which never prints.
func (*Lifecycle) Parse(cmdType string, data json.RawMessage) (lifecycle.Parsed, error) {
	switch cmdType {
	case events.ConsentCreate:
		var d events.ConsentCreateData
		if err := events.Decode(data, &d); err != nil {
			return lifecycle.Parsed{}, err
		}
		if _, err := d.Validate(); err != nil {
			return lifecycle.Parsed{}, err
		}
		return lifecycle.Parsed{Data: &d}, nil
	case events.ConsentValidate:
		var d events.ConsentValidateData
		if err := events.Decode(data, &d); err != nil {
			return lifecycle.Parsed{}, err
		}
		if err := d.Validate(); err != nil {
			return lifecycle.Parsed{}, err
		}
		return lifecycle.Parsed{Target: lifecycle.Ref{ID: uuid.MustParse(d.TransactionID), Field: "data.transaction_id"},
			Input: validateInput{answer: lifecycle.NewSecret([]byte(d.Answer()))}, Metadata: d.Metadata}, nil
	}
	return lifecycle.Parsed{}, errors.New("consent: not a consent command: " + cmdType)
}

// validateInput is consent.validate with its OTP (or value).
type validateInput struct{ answer lifecycle.Secret }

// Create fills a new consent: the auth sealed (dropped once the consent is
// granted or failed), the customer kept for the calls, the auth masked for
// showing; the consent call is due.
func (l *Lifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	d := c.Parsed.Data.(*events.ConsentCreateData)
	amount, err := d.Validate()
	if err != nil {
		return nil, err
	}
	auth, _ := d.ParseAuth()
	customer, _ := d.ParseCustomer()
	t := c.Txn
	t.Provider, t.Amount, t.Currency, t.Reference, t.Metadata = events.ProviderOnePipe, amount, d.Currency, d.Reference, d.Metadata
	plain, err := json.Marshal(auth)
	if err != nil {
		return nil, err
	}
	c.Seal(t, DetailAuth, PurposeAuth, plain)
	lifecycle.SetDetail(t, detailCustomer, customer)
	lifecycle.SetDetail(t, detailShown, auth.Masked())
	s := State{Status: events.StatusPending, Op: OpConsent}
	setState(t, s)
	return []effect.Effect{effect.Call{Op: OpConsent}}, nil
}

// Decide runs the consent machine (Decide) on t. It seals what the machine
// must not see: consent.validate's OTP, once the machine has taken it, and
// the provider token of a grant.
func (l *Lifecycle) Decide(t *store.Txn, in lifecycle.Input, env *lifecycle.Env) ([]effect.Effect, error) {
	v, isValidate := in.(validateInput)
	if isValidate {
		in = Validate{}
	}
	prev := state(t)
	next, effs, err := Decide(prev, in, env.Now, l.Policy)
	if err != nil {
		return nil, err
	}
	if isValidate {
		env.Seal(t, DetailOTP, PurposeOTP, v.answer.Reveal())
	}
	if r, ok := in.(Result); ok && next.Status == events.StatusGranted && prev.Status != events.StatusGranted {
		env.Seal(t, DetailProviderToken, PurposeProviderTok, r.Secret.Reveal())
	}
	setState(t, next)
	return effs, nil
}

// Awaits reports whether t still waits for the result of op.
func (*Lifecycle) Awaits(t *store.Txn, op string) bool { return Awaits(state(t), op) }

// Show adds when the token expires (never the token) and the auth, masked.
func (*Lifecycle) Show(t *store.Txn, r *events.Transaction) {
	s := state(t)
	r.TokenExpiresAt = s.TokenExpiresAt
	var pm events.PaymentMethod
	if lifecycle.Detail(t, detailShown, &pm) {
		r.PaymentMethod = &pm
	}
}

// state reads the machine's state out of a row.
func state(t *store.Txn) State {
	var s State
	lifecycle.Detail(t, detailState, &s)
	s.Status, s.Reason, s.ProviderReference = t.Status, t.Reason, t.ProviderReference
	return s
}

// setState writes the machine's state into a row, and drops the secrets no
// call needs any more: the OTP once no validate call is awaited, the auth
// once the consent is granted or failed.
func setState(t *store.Txn, s State) {
	t.Status, t.Reason, t.ProviderReference = s.Status, s.Reason, s.ProviderReference
	lifecycle.SetDetail(t, detailState, s)
	if s.Op != OpValidate {
		delete(t.Details, DetailOTP)
	}
	if s.Status == events.StatusGranted || s.Status == events.StatusFailed {
		delete(t.Details, DetailAuth)
	}
}
