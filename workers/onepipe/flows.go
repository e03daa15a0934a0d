package onepipe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/workers/provider"
)

// Consent asks the customer's consent to be debited later (card, bank account
// or wallet auth). The answer is usually WaitingForOTP or PendingValidation
// (then call Validate); with OTP override it is Successful with a token.
type Consent struct {
	RequestRef     string
	TransactionRef string
	RequestType    string // RequestHoldFunds (default) or RequestCollect
	AuthType       string // AuthCard, AuthBankAccount, AuthWallet
	Secure         string // plain; see CardSecure, BankAccountSecure; encrypted here
	Amount         decimal.Decimal
	Description    string
	Customer       *Customer
	Meta           map[string]string
}

// Consent sends a consent /v2/transact.
func (c *Client) Consent(ctx context.Context, p Consent) (*Result, error) {
	rt := p.RequestType
	if rt == "" {
		rt = RequestHoldFunds
	}
	return c.transact(ctx, "consent", debit{
		requestRef: p.RequestRef, requestType: rt, authType: p.AuthType, secure: p.Secure,
		txRef: p.TransactionRef, amount: p.Amount, desc: p.Description, customer: p.Customer, meta: p.Meta,
	})
}

// Hold places a hold of Amount with a provider_token from a consent.
type Hold struct {
	RequestRef     string
	TransactionRef string
	Token          string // the provider_token, plain; encrypted here
	Amount         decimal.Decimal
	Description    string
	Customer       *Customer
	Meta           map[string]string
}

// Hold sends a hold_funds /v2/transact with auth.type provider_token.
func (c *Client) Hold(ctx context.Context, p Hold) (*Result, error) {
	return c.transact(ctx, "hold", debit{
		requestRef: p.RequestRef, requestType: RequestHoldFunds, authType: AuthProviderToken, secure: p.Token,
		txRef: p.TransactionRef, amount: p.Amount, desc: p.Description, customer: p.Customer, meta: p.Meta,
	})
}

// Capture collects Amount (at most the held amount) from a hold.
type Capture struct {
	RequestRef     string
	TransactionRef string // the capture's own ref
	HoldRef        string // the hold's transaction_ref (transaction_ref_parent)
	Token          string // the provider_token the hold was placed with
	Amount         decimal.Decimal
	Description    string
	Meta           map[string]string
}

// Capture sends a collect /v2/transact whose parent is the hold.
func (c *Client) Capture(ctx context.Context, p Capture) (*Result, error) {
	return c.transact(ctx, "capture", debit{
		requestRef: p.RequestRef, requestType: RequestCollect, authType: AuthProviderToken, secure: p.Token,
		txRef: p.TransactionRef, parent: p.HoldRef, amount: p.Amount, desc: p.Description, meta: p.Meta,
	})
}

type debit struct {
	requestRef, requestType, authType, secure string
	txRef, parent, desc                       string
	amount                                    decimal.Decimal
	customer                                  *Customer
	meta                                      map[string]string
}

func (c *Client) transact(ctx context.Context, op string, d debit) (*Result, error) {
	minor, err := ToMinor(d.amount)
	if err != nil {
		return nil, &provider.Error{Kind: provider.KindFailed, Provider: ProviderName, Op: op, Message: "amount", Err: err}
	}
	req := c.request(d.requestRef, d.requestType, d.txRef)
	req.Auth.Type = d.authType
	req.Auth.Secure = EncryptSecure(c.cfg.Secret, d.secure)
	req.Transaction.Amount = minor
	req.Transaction.TransactionRefParent = d.parent
	req.Transaction.TransactionDesc = d.desc
	req.Transaction.Customer = d.customer
	req.Transaction.Meta = d.meta
	return c.result(ctx, op, PathTransact, req)
}

// Validate supplies the OTP (or the PendingValidation answer) for a consent.
// requestRef is this call's own reference; transactionRef the consent's.
func (c *Client) Validate(ctx context.Context, requestRef, transactionRef, otp string) (*Result, error) {
	req := c.request(requestRef, RequestHoldFunds, transactionRef)
	req.Auth.Secure = EncryptSecure(c.cfg.Secret, otp)
	return c.result(ctx, "validate", PathValidate, req)
}

// Release reverses a hold (or a collect, where supported) by its
// transaction_ref.
func (c *Client) Release(ctx context.Context, requestRef, transactionRef string) (*Result, error) {
	return c.result(ctx, "reverse", PathReverse, c.request(requestRef, RequestHoldFunds, transactionRef))
}

// Query returns the current state of a transaction. A transaction OnePipe
// does not know comes back as a declined *provider.Error wrapping
// ErrNotFound: proof that an unknown-outcome call never took effect.
func (c *Client) Query(ctx context.Context, requestRef, transactionRef string) (*Result, error) {
	return c.result(ctx, "query", PathQuery, c.request(requestRef, RequestHoldFunds, transactionRef))
}

// Options lists the auth types available for this service.
func (c *Client) Options(ctx context.Context, requestRef string) (*Result, error) {
	return c.result(ctx, "options", PathOptions, c.request(requestRef, RequestHoldFunds, ""))
}

func (c *Client) request(requestRef, requestType, txRef string) *Request {
	return &Request{
		RequestRef:  requestRef,
		RequestType: requestType,
		Auth:        Auth{AuthProvider: c.cfg.AuthProvider},
		Transaction: Transaction{MockMode: c.cfg.MockMode, TransactionRef: txRef, Details: json.RawMessage(nil)},
	}
}

func (c *Client) result(ctx context.Context, op, path string, req *Request) (*Result, error) {
	if req.RequestRef == "" {
		return nil, &provider.Error{Kind: provider.KindFailed, Provider: ProviderName, Op: op,
			Message: fmt.Sprintf("request_ref is required (%s)", http.MethodPost+" "+path)}
	}
	resp, err := c.Do(ctx, op, path, req)
	if err != nil {
		return nil, err
	}
	return resultOf(resp), nil
}
