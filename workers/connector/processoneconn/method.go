package processoneconn

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/processone"
)

// Codes of a charge refused before anything is sent.
const (
	// codePaymentMethodNotFound: a token charge names a pm_ id the
	// merchant has not saved with ProcessOne.
	codePaymentMethodNotFound = "payment_method_not_found"
	// codeInvalidPaymentMethod: the payment method held for the call is not
	// one ProcessOne takes (charge.create validates it first: a bug).
	codeInvalidPaymentMethod = "invalid_payment_method"
)

// refusal is a charge that cannot be made, known before anything is sent:
// the operation's result is Failed with this code, not a local error that
// would be retried for ever.
type refusal struct{ code, message string }

func (r *refusal) Error() string { return r.code + ": " + r.message }

// method is how a charge pays, ready for ProcessOne: a card or bank account
// in clear (only ever sent to ProcessOne), or a saved one's token.
type method struct {
	typ   string // events.PaymentCard or events.PaymentBankAccount
	card  *events.CardMethod
	bank  *events.BankAccountMethod
	token string // the provider token of a saved method
	pmID  string // our id of the saved method used
}

// chargeMethod reads charge t's payment method: the sealed JSON the
// merchant sent, and for a token our saved row with its token unsealed. A
// *refusal is returned for a pm_ id the merchant does not have or a method
// ProcessOne cannot take.
func (c *conn) chargeMethod(ctx context.Context, t *store.Txn) (*method, error) {
	raw, err := charge.PaymentMethod(c.deps.Sealer, t)
	if err != nil {
		return nil, fmt.Errorf("payment method: %w", err)
	}
	switch typ := events.PaymentMethodType(raw); typ {
	case events.PaymentCard:
		m, err := events.ValidateCardMethod("payment_method", raw)
		return &method{typ: typ, card: &m}, invalid(err)
	case events.PaymentBankAccount:
		m, err := events.ValidateBankAccountMethod("payment_method", raw)
		return &method{typ: typ, bank: &m}, invalid(err)
	case events.PaymentToken:
		_, pmID := charge.Method(t)
		if pmID == "" {
			tm, err := events.ValidateTokenMethod("payment_method", raw)
			if err != nil {
				return nil, invalid(err)
			}
			pmID = tm.Token
		}
		return c.savedMethod(ctx, t.MerchantID, pmID)
	default:
		return nil, &refusal{codeInvalidPaymentMethod, fmt.Sprintf("payment method type %q is not one ProcessOne takes", typ)}
	}
}

// invalid turns a validation error (its message names the field, never
// the value) into a refusal.
func invalid(err error) error {
	if err == nil {
		return nil
	}
	return &refusal{codeInvalidPaymentMethod, err.Error()}
}

// savedMethod loads merchant's saved payment method pmID and opens its
// token.
func (c *conn) savedMethod(ctx context.Context, merchant uuid.UUID, pmID string) (*method, error) {
	row, err := c.deps.Store.PaymentMethodGet(ctx, merchant, pmID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && row.Provider != events.ProviderProcessOne) {
		return nil, &refusal{codePaymentMethodNotFound, "no saved ProcessOne payment method " + pmID + " for this merchant"}
	}
	if err != nil {
		return nil, err
	}
	token, err := c.deps.Sealer.Open(row.TokenSealed, secret.PaymentMethodTokenAAD(merchant.String(), pmID))
	if err != nil {
		return nil, fmt.Errorf("payment method %s: token: %w", pmID, err)
	}
	return &method{typ: row.Type, token: string(token), pmID: pmID}, nil
}

// references are the charge's searchable fields at ProcessOne: the
// merchant's reference (ClientReferenceData1, which ProcessOne's duplicate
// rule compares) and our transaction id (ClientReferenceData2, "an
// external transaction identifier").
func references(t *store.Txn) *processone.ClientReferenceData {
	id := t.ID.String()
	d := &processone.ClientReferenceData{ClientReferenceData2: &id}
	if t.Reference != "" {
		ref := t.Reference
		d.ClientReferenceData1 = &ref
	}
	return d
}

// sale is the call that charges m: CreditCard/Charge or Eft/Debit, saving
// the card or account when save.
func (m *method) sale(cl *processone.Client, t *store.Txn, cb string, save bool, customerID string) send {
	noFee := false
	amount := processone.AmountOf(t.Amount)
	ref := references(t)
	cust := optional(customerID)
	if m.typ == events.PaymentBankAccount {
		req := &processone.DebitEftRequest{Amount: amount, CallbackID: &cb, ClientReferenceData: ref, CustomerID: cust}
		if m.token != "" {
			req.Token = &m.token
		} else {
			req.EftDetails, req.Save = eftDetails(m.bank), save
		}
		return func(ctx context.Context) (sent, error) {
			resp, err := cl.EftDebit(ctx, req)
			if resp == nil {
				return sent{}, err
			}
			return sent{id: deref(resp.TransactionID), token: deref(resp.Token)}, err
		}
	}
	req := &processone.ChargeCreditCardRequest{Amount: amount, ChargeFee: &noFee, CallbackID: &cb,
		ClientReferenceData: ref, CustomerID: cust}
	if m.token != "" {
		req.Token = &m.token
	} else {
		req.CreditCard, req.Save = cardDetails(m.card), save
	}
	return func(ctx context.Context) (sent, error) {
		resp, err := cl.CreditCardCharge(ctx, req)
		if resp == nil {
			return sent{}, err
		}
		return sent{id: deref(resp.TransactionID), token: deref(resp.Token), brand: resp.CreditCardType}, err
	}
}

func cardDetails(c *events.CardMethod) *processone.CreditCardDetails {
	return &processone.CreditCardDetails{ExpirationYear: c.ExpiryYear, ExpirationMonth: c.ExpiryMonth,
		Number: c.CardNumber, ValidationValue: c.CVV, Holder: &processone.Customer{Name: c.HolderName, Zip: c.Zip}}
}

func eftDetails(b *events.BankAccountMethod) *processone.EftDetails {
	typ := processone.AccountChecking
	if b.AccountType == "savings" {
		typ = processone.AccountSavings
	}
	return &processone.EftDetails{RoutingNumber: b.RoutingNumber, AccountNumber: b.AccountNumber, Type: typ,
		CustomerName: b.HolderName}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
