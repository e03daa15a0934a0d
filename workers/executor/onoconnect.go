package executor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/onoconnect"
	"github.com/switchyard/switchyard/workers/provider"
)

// OnoCredentials is what a merchant's onoconnect provider account holds.
type OnoCredentials struct {
	MerchantID       string `json:"merchant_id"`
	TransactionToken string `json:"transaction_token"`
}

// OnoConnect is the ono//connect connector.
type OnoConnect struct {
	Client *onoconnect.Client
	Engine *engine.Engine
	creds  sync.Map // merchant uuid → onoconnect.Credentials
}

// NewOnoConnect returns the connector for baseURL with a per-call time-out.
func NewOnoConnect(e *engine.Engine, baseURL string, timeout time.Duration) *OnoConnect {
	return &OnoConnect{Client: onoconnect.NewClient(baseURL, timeout), Engine: e}
}

func (o *OnoConnect) credentials(ctx context.Context, merchant uuid.UUID) (onoconnect.Credentials, error) {
	if c, ok := o.creds.Load(merchant); ok {
		return c.(onoconnect.Credentials), nil
	}
	sealed, err := o.Engine.Store().ProviderAccountGet(ctx, merchant, events.ProviderOnoConnect)
	if err != nil {
		return onoconnect.Credentials{}, err
	}
	plain, err := o.Engine.Sealer().Open(sealed, secret.ProviderAccountAAD(merchant.String(), events.ProviderOnoConnect))
	if err != nil {
		return onoconnect.Credentials{}, err
	}
	var oc OnoCredentials
	if err := json.Unmarshal(plain, &oc); err != nil {
		return onoconnect.Credentials{}, err
	}
	c := onoconnect.Credentials{MerchantID: oc.MerchantID, TransactionToken: oc.TransactionToken}
	o.creds.Store(merchant, c)
	return c, nil
}

// Recovery: a charge is not idempotent at ono//connect and is never
// repeated (the lifecycle reverses it by its clientTransactionId); confirm
// and reject are idempotent for the same transaction id and are repeated.
func (o *OnoConnect) Recovery(op string) Recovery {
	if op == charge.OpCharge {
		return ReportUnknown
	}
	return Repeat
}

// Prepare loads the merchant's credentials (cached after the first call).
func (o *OnoConnect) Prepare(ctx context.Context, w store.WorkItem) error {
	if _, err := o.credentials(ctx, w.MerchantID); err != nil {
		return fmt.Errorf("onoconnect credentials: %w", err)
	}
	return nil
}

// Call carries out a charge operation at ono//connect. Failing to load the
// credentials or to open the sealed card data is a local error: nothing is
// sent and the call is retried.
func (o *OnoConnect) Call(ctx context.Context, t *store.Txn, w store.WorkItem) (charge.Result, error) {
	cred, err := o.credentials(ctx, t.MerchantID)
	if err != nil {
		return charge.Result{}, fmt.Errorf("onoconnect credentials: %w", err)
	}
	switch w.Op {
	case charge.OpCharge:
		return o.charge(ctx, cred, t)
	case charge.OpConfirm:
		info, ierr := o.Engine.ConfirmPaymentInfo(t)
		if ierr != nil {
			return charge.Result{}, fmt.Errorf("payment method info: %w", ierr)
		}
		err = o.Client.Confirm(ctx, cred, t.ProviderReference, info)
	case charge.OpReject:
		if w.ByReference || t.ProviderReference == "" {
			err = o.Client.RejectByReference(ctx, cred, t.Reference)
		} else {
			err = o.Client.Reject(ctx, cred, t.ProviderReference)
		}
	}
	return result(w.Op, err), nil
}

func (o *OnoConnect) charge(ctx context.Context, cred onoconnect.Credentials, t *store.Txn) (charge.Result, error) {
	pm, err := o.Engine.SealedPaymentMethod(t)
	if err != nil {
		return charge.Result{}, fmt.Errorf("payment method: %w", err)
	}
	req := onoconnect.ChargeRequest{
		MerchantID: cred.MerchantID, AmountInCents: events.ToMinor(t.Amount, t.Currency), Currency: t.Currency,
		ClientTransactionID: t.Reference, PaymentMethodInfo: pm, DeviceInfo: objectOr(t.Details["device"]),
		AppInfo: objectOr(t.Details["app"]), Metadata: t.Metadata,
	}
	resp, err := o.Client.Charge(ctx, cred, req)
	r := result(charge.OpCharge, err)
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

func objectOr(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage(`{}`)
	}
	return raw
}

// result maps a connector error to the state machine's outcome.
func result(op string, err error) charge.Result {
	r := charge.Result{Op: op, Outcome: charge.OK}
	if err == nil {
		return r
	}
	var pe *provider.Error
	if errors.As(err, &pe) {
		r.Code, r.Message = pe.Code, pe.Message
	} else {
		r.Message = err.Error()
	}
	switch provider.KindOf(err) {
	case provider.KindDeclined:
		r.Outcome = charge.Declined
	case provider.KindRetryLater:
		r.Outcome = charge.RetryLater
	case provider.KindFailed:
		r.Outcome = charge.Failed
		if pe != nil && pe.Code == "not_found" {
			r.Outcome = charge.NotFound
		}
	default:
		r.Outcome = charge.Unknown
	}
	return r
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
