package utility

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/switchyard/switchyard/workers/provider"
)

// ProviderName is the name in every provider.Error of this connector.
const ProviderName = "utility"

// Operation names in provider.Error.Op.
const (
	OpPurchase = "purchase"
	OpRetry    = "retry"
	OpConfirm  = "confirm"
	OpReverse  = "reverse"
)

// Client calls the prepaid utility provider. Every call has a time-out.
type Client struct {
	cfg    Config
	caller *provider.Caller
}

// NewClient validates cfg and returns a Client.
func NewClient(cfg Config) (*Client, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c := provider.NewCaller(ProviderName, strings.TrimRight(cfg.BaseURL, "/"), cfg.Timeout)
	if cfg.HTTP != nil {
		c.HTTP = cfg.HTTP
	}
	return &Client{cfg: cfg, caller: c}, nil
}

// Purchase sends POST /tokenPurchases/{req.ID} and returns the tokens on 201.
// A zero req.Time is set to now; set it yourself to resubmit the exact same
// request with Retry. On a provider.KindUnknown error, call Retry with the
// same request: it returns the tokens already issued, if any.
func (c *Client) Purchase(ctx context.Context, req PurchaseRequest) (*PurchaseResponse, error) {
	return c.vend(ctx, OpPurchase, "", req)
}

// Retry sends POST /tokenPurchases/{req.ID}/retry with the original request
// and returns the tokens on 202: those already issued when the provider had
// received the purchase, new ones otherwise. A provider that declines the
// retry of a purchase it never received answers with a KindDeclined error.
func (c *Client) Retry(ctx context.Context, req PurchaseRequest) (*PurchaseResponse, error) {
	return c.vend(ctx, OpRetry, "/retry", req)
}

func (c *Client) vend(ctx context.Context, op, suffix string, req PurchaseRequest) (*PurchaseResponse, error) {
	if err := checkID(op, "purchase", req.ID); err != nil {
		return nil, err
	}
	if req.Time.IsZero() {
		req.Time = c.cfg.Now().UTC().Truncate(millisecond)
	}
	if req.ThirdPartyIdentifiers == nil {
		req.ThirdPartyIdentifiers = []ThirdPartyIdentifier{}
	}
	r, err := c.caller.Do(ctx, op, http.MethodPost, purchasePath(req.ID)+suffix, req, c.headers())
	if err != nil {
		c.logOutcome(ctx, op, req.ID, 0, err)
		return nil, err
	}
	resp, err := c.vendOutcome(op, r)
	c.logOutcome(ctx, op, req.ID, r.Status, err)
	return resp, err
}

// Confirm sends the confirmation advice
// POST /tokenPurchases/{purchaseID}/confirmations/{adv.ID}. nil means 202.
// A KindDeclined error (400) is final; any other error means: send the same
// advice again later (see RepeatAdvice).
func (c *Client) Confirm(ctx context.Context, purchaseID string, adv ConfirmationAdvice) error {
	adv.Advice = c.fillAdvice(purchaseID, adv.Advice)
	return c.advise(ctx, OpConfirm, purchaseID, "/confirmations/", adv.ID, adv)
}

// Reverse sends the reversal advice
// POST /tokenPurchases/{purchaseID}/reversals/{adv.ID}, with the same
// outcomes as Confirm.
func (c *Client) Reverse(ctx context.Context, purchaseID string, adv ReversalAdvice) error {
	adv.Advice = c.fillAdvice(purchaseID, adv.Advice)
	return c.advise(ctx, OpReverse, purchaseID, "/reversals/", adv.ID, adv)
}

func (c *Client) fillAdvice(purchaseID string, a Advice) Advice {
	if a.RequestID == "" {
		a.RequestID = purchaseID
	}
	if a.Time.IsZero() {
		a.Time = c.cfg.Now().UTC().Truncate(millisecond)
	}
	if a.ThirdPartyIdentifiers == nil {
		a.ThirdPartyIdentifiers = []ThirdPartyIdentifier{}
	}
	return a
}

func (c *Client) advise(ctx context.Context, op, purchaseID, kind, adviceID string, body any) error {
	if err := checkID(op, "purchase", purchaseID); err != nil {
		return err
	}
	if err := checkID(op, "advice", adviceID); err != nil {
		return err
	}
	p := purchasePath(purchaseID) + kind + url.PathEscape(adviceID)
	r, err := c.caller.Do(ctx, op, http.MethodPost, p, body, c.headers())
	if err == nil {
		err = c.adviceOutcome(op, r)
	}
	status := 0
	if r != nil {
		status = r.Status
	}
	c.logOutcome(ctx, op, purchaseID, status, err)
	return err
}

func (c *Client) headers() http.Header {
	h := http.Header{}
	h.Set(HeaderClientID, c.cfg.Credentials.ClientID)
	h.Set(HeaderAPIKey, c.cfg.Credentials.APIKey)
	return h
}

func purchasePath(id string) string { return "/tokenPurchases/" + url.PathEscape(id) }

func checkID(op, what, id string) error {
	if id == "" || strings.ContainsAny(id, "/?#") {
		return &provider.Error{Kind: provider.KindFailed, Provider: ProviderName, Op: op,
			Message: "invalid " + what + " id (request not sent)"}
	}
	return nil
}

// logOutcome logs the call without its body or headers: no credentials,
// tokens or PINs reach the logger.
func (c *Client) logOutcome(ctx context.Context, op, id string, status int, err error) {
	if err == nil {
		c.cfg.Logger.DebugContext(ctx, "utility call", "op", op, "purchase_id", id, "status", status)
		return
	}
	c.cfg.Logger.InfoContext(ctx, "utility call failed", "op", op, "purchase_id", id, "status", status,
		"kind", provider.KindOf(err).String(), "error", err.Error())
}
