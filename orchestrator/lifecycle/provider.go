package lifecycle

// Provider is what a provider's connector declares it can do. Lifecycles
// branch on these declarations, never on provider names: a new provider is
// a connector and its declaration (cmd/switchyard/registry.go), with no edit
// in a lifecycle.
type Provider struct {
	Name string

	// Charges: the provider takes charge.create (a card or account
	// charge). A provider of other lifecycles only (a utility, OnePipe)
	// declares its own capabilities and not this one.
	Charges bool

	// Sale: its charges are one-step sales, pending → succeeded, settled
	// later in the merchant's daily batch (ProcessOne). Otherwise a charge
	// is authorized, then confirmed or rejected (ono//connect).
	Sale bool
	// CardNotPresent: its charges carry the card (or account) itself,
	// checked in full at intake: number, expiry, CVV (ProcessOne). A
	// card-present provider's device reads the card (ono//connect).
	CardNotPresent bool
	// PaymentMethods are the payment method types its charge takes
	// ("card", "token", "bank_account"). Empty: any (the provider's own
	// checks decide).
	PaymentMethods []string
	// SavesPaymentMethods: a charge may ask to save its card or account
	// (save: true) and later charges may use it by our pm_ id.
	SavesPaymentMethods bool

	// Void: a sale whose batch is still open can be voided, in full.
	Void bool
	// Refund: a settled sale can be refunded, in full or in part.
	Refund bool
	// ReleaseAuthorized: an authorized charge not yet confirmed can be given
	// back in full by releasing it (ono//connect's reject).
	ReleaseAuthorized bool
}

// Takes reports whether p's charge takes payment method type typ.
func (p Provider) Takes(typ string) bool {
	if len(p.PaymentMethods) == 0 {
		return true
	}
	for _, t := range p.PaymentMethods {
		if t == typ {
			return true
		}
	}
	return false
}

// Providers are the declared providers by name.
type Providers map[string]Provider

// NewProviders indexes declarations by name; a name declared twice panics
// (a wiring mistake).
func NewProviders(ps ...Provider) Providers {
	out := Providers{}
	for _, p := range ps {
		if _, dup := out[p.Name]; dup {
			panic("lifecycle: provider " + p.Name + " declared twice")
		}
		out[p.Name] = p
	}
	return out
}
