// Package onoconn is the ono//connect connector: charge (never repeated;
// reversed by reference when its outcome is unknown), confirm and reject
// (idempotent at ono//connect: repeated), and void: a refund of an
// authorized charge, carried out as a reject of that charge (repeated too).
package onoconn

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/onoconnect"
)

// Credentials is what a merchant's onoconnect provider account holds.
type Credentials struct {
	MerchantID       string `json:"merchant_id"`
	TransactionToken string `json:"transaction_token"`
}

type conn struct {
	deps     connector.Deps
	client   *onoconnect.Client
	accounts *connector.Accounts[Credentials]
}

// OpVoid is the refund lifecycle's operation that gives back an
// authorized charge in full (ReleaseAuthorized).
const OpVoid = "void"

// Declaration is what the ono//connect connector can do: card-present
// charges, authorized then confirmed; an authorized charge can be released
// (a refund of it is a reject); a confirmed one cannot be refunded here.
var Declaration = lifecycle.Provider{
	Name:              events.ProviderOnoConnect,
	Charges:           true,
	PaymentMethods:    []string{events.PaymentCard},
	ReleaseAuthorized: true,
}

// New returns the ono//connect connector for baseURL with a per-call time-out.
func New(deps connector.Deps, baseURL string, timeout time.Duration) *connector.Connector {
	o := &conn{deps: deps, client: onoconnect.NewClient(baseURL, timeout),
		accounts: connector.NewAccounts[Credentials](deps, events.ProviderOnoConnect)}
	return &connector.Connector{
		Provider: events.ProviderOnoConnect,
		Prepare:  o.accounts.Prepare,
		Operations: []connector.Operation{
			{Name: charge.OpCharge, Recovery: connector.ReverseByReference, Call: o.charge},
			{Name: charge.OpConfirm, Recovery: connector.Repeat, Call: o.confirm},
			{Name: charge.OpReject, Recovery: connector.Repeat, Call: o.reject},
			{Name: OpVoid, Recovery: connector.Repeat, Call: o.void},
		},
	}
}

func (o *conn) credentials(ctx context.Context, c connector.Call) (onoconnect.Credentials, error) {
	oc, err := o.accounts.Get(ctx, c.Txn.MerchantID)
	if err != nil {
		return onoconnect.Credentials{}, err
	}
	return onoconnect.Credentials{MerchantID: oc.MerchantID, TransactionToken: oc.TransactionToken}, nil
}

// charge sends the charge. Failing to load the credentials or to open the
// sealed card data is a local error: nothing is sent and it is retried.
func (o *conn) charge(ctx context.Context, c connector.Call) (lifecycle.Result, error) {
	cred, err := o.credentials(ctx, c)
	if err != nil {
		return lifecycle.Result{}, err
	}
	t := c.Txn
	pm, err := charge.PaymentMethod(o.deps.Sealer, t)
	if err != nil {
		return lifecycle.Result{}, fmt.Errorf("payment method: %w", err)
	}
	req := onoconnect.ChargeRequest{
		MerchantID: cred.MerchantID, AmountInCents: events.ToMinor(t.Amount, t.Currency), Currency: t.Currency,
		ClientTransactionID: t.Reference, PaymentMethodInfo: pm, DeviceInfo: objectOr(charge.Device(t)),
		AppInfo: objectOr(charge.App(t)), Metadata: t.Metadata,
	}
	resp, err := o.client.Charge(ctx, cred, req)
	r := connector.ResultOf(charge.OpCharge, err)
	if resp != nil {
		r.ProviderReference = boundedID(resp.TransactionID)
		if r.Code == "" {
			r.Code = resp.IsoResponseCode
		}
		if r.Message == "" {
			r.Message = resp.ChargeResultMessage
		}
	}
	return r, nil
}

func (o *conn) confirm(ctx context.Context, c connector.Call) (lifecycle.Result, error) {
	cred, err := o.credentials(ctx, c)
	if err != nil {
		return lifecycle.Result{}, err
	}
	info, err := charge.ConfirmInfo(o.deps.Sealer, c.Txn)
	if err != nil {
		return lifecycle.Result{}, fmt.Errorf("payment method info: %w", err)
	}
	return connector.ResultOf(charge.OpConfirm, o.client.Confirm(ctx, cred, c.Txn.ProviderReference, info)), nil
}

func (o *conn) reject(ctx context.Context, c connector.Call) (lifecycle.Result, error) {
	cred, err := o.credentials(ctx, c)
	if err != nil {
		return lifecycle.Result{}, err
	}
	if c.Work.ByReference || c.Txn.ProviderReference == "" {
		err = o.client.RejectByReference(ctx, cred, c.Txn.Reference)
	} else {
		err = o.client.Reject(ctx, cred, c.Txn.ProviderReference)
	}
	return connector.ResultOf(charge.OpReject, err), nil
}

// void releases a refund's parent charge by rejecting it at ono//connect
// by its id (a charge still authorized always has one).
func (o *conn) void(ctx context.Context, c connector.Call) (lifecycle.Result, error) {
	if c.Txn.ParentID == nil {
		return lifecycle.Result{Op: OpVoid, Outcome: lifecycle.Failed, Message: "a void needs the charge it releases"}, nil
	}
	parent, err := o.deps.Store.TransactionGet(ctx, c.Txn.MerchantID, *c.Txn.ParentID)
	if err != nil {
		return lifecycle.Result{}, fmt.Errorf("load the charge: %w", err)
	}
	cred, err := o.credentials(ctx, c)
	if err != nil {
		return lifecycle.Result{}, err
	}
	if parent.ProviderReference == "" {
		err = o.client.RejectByReference(ctx, cred, parent.Reference)
	} else {
		err = o.client.Reject(ctx, cred, parent.ProviderReference)
	}
	r := connector.ResultOf(OpVoid, err)
	if r.Outcome == lifecycle.OK {
		r.ProviderReference = parent.ProviderReference
	}
	return r, nil
}

func objectOr(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage(`{}`)
	}
	return raw
}

// maxProviderID bounds a provider's id kept on a transaction (and echoed in
// every event). ono//connect's are UUIDs; an id that is longer is not one,
// and is not kept: an id cut short would reverse the wrong charge or none,
// while without an id the charge is reversed by its reference.
const maxProviderID = 255

func boundedID(id string) string {
	if len(id) > maxProviderID {
		return ""
	}
	return id
}
