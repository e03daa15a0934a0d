package onepipe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
)

// ProviderName is the name this connector reports in provider.Error.
const ProviderName = "onepipe"

// Config configures a Client.
type Config struct {
	BaseURL      string        // e.g. http://127.0.0.1:9000/onepipe
	APIKey       string        // sent as "Authorization: Bearer <APIKey>"
	Secret       string        // signs requests and encrypts auth.secure; never logged
	AuthProvider string        // auth.auth_provider (default "Beeceptor", as in the seed)
	MockMode     string        // transaction.mock_mode (default "live")
	Timeout      time.Duration // per call (default provider.DefaultTimeout)
	Logger       *slog.Logger  // default: discard
}

// WithDefaults fills the zero fields that have defaults.
func (c Config) WithDefaults() Config {
	if c.AuthProvider == "" {
		c.AuthProvider = "Beeceptor"
	}
	if c.MockMode == "" {
		c.MockMode = "live"
	}
	if c.Timeout <= 0 {
		c.Timeout = provider.DefaultTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.BaseURL == "":
		return errors.New("onepipe: BaseURL is required")
	case c.APIKey == "":
		return errors.New("onepipe: APIKey is required")
	case c.Secret == "":
		return errors.New("onepipe: Secret is required")
	}
	return nil
}

// Client calls OnePipe. It is safe for concurrent use.
type Client struct {
	cfg    Config
	caller *provider.Caller
	log    *slog.Logger
}

// NewClient returns a Client for cfg.
func NewClient(cfg Config) (*Client, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Client{
		cfg:    cfg,
		caller: provider.NewCaller(ProviderName, cfg.BaseURL, cfg.Timeout),
		log:    cfg.Logger,
	}, nil
}

// Caller exposes the underlying provider.Caller (e.g. to swap its
// http.Client in tests).
func (c *Client) Caller() *provider.Caller { return c.caller }

// Do signs req, POSTs it to path and returns the decoded answer. A nil error
// means OnePipe answered Successful, WaitingForOTP or PendingValidation.
// Otherwise the error is a *provider.Error: KindDeclined when OnePipe
// answered Failed (Code is provider_response_code), KindFailed when the call
// certainly did nothing (refused connection, 4xx, 500), KindUnknown when it
// may have happened (time-out, reset, 502/503/504, unreadable answer).
func (c *Client) Do(ctx context.Context, op, path string, req *Request) (*Response, error) {
	h := http.Header{}
	h.Set(HeaderAuthorization, "Bearer "+c.cfg.APIKey)
	h.Set(HeaderSignature, Signature(req.RequestRef, c.cfg.Secret))
	start := time.Now()
	raw, err := c.caller.Do(ctx, op, http.MethodPost, path, req, h)
	if err != nil {
		c.log.WarnContext(ctx, "onepipe call failed", "op", op, "request_ref", req.RequestRef,
			"kind", provider.KindOf(err).String(), "err", err)
		return nil, err
	}
	resp, err := c.classify(op, raw)
	c.log.DebugContext(ctx, "onepipe call", "op", op, "request_ref", req.RequestRef,
		"transaction_ref", req.Transaction.TransactionRef, "http", raw.Status,
		"status", statusOf(resp), "elapsed", time.Since(start))
	return resp, err
}

func statusOf(r *Response) string {
	if r == nil {
		return ""
	}
	return r.Status
}

// classify turns an HTTP answer into a Response or a *provider.Error.
func (c *Client) classify(op string, raw *provider.Response) (*Response, error) {
	var resp Response
	decodeErr := raw.Decode(&resp)
	if raw.Status != http.StatusOK {
		return nil, c.httpError(op, raw, &resp, decodeErr)
	}
	if decodeErr != nil {
		return nil, &provider.Error{Kind: provider.KindUnknown, Provider: ProviderName, Op: op,
			Status: raw.Status, Message: "unreadable answer", Err: decodeErr}
	}
	switch st := Status(resp.Status); {
	case st == StatusFailed:
		return &resp, c.declined(op, raw.Status, &resp)
	case st.Known():
		return &resp, nil
	default:
		return &resp, &provider.Error{Kind: provider.KindUnknown, Provider: ProviderName, Op: op,
			Status: raw.Status, Code: resp.Data.ProviderResponseCode,
			Message: fmt.Sprintf("unknown status %q", resp.Status)}
	}
}

func (c *Client) declined(op string, status int, resp *Response) *provider.Error {
	e := &provider.Error{Kind: provider.KindDeclined, Provider: ProviderName, Op: op,
		Status: status, Code: resp.Data.ProviderResponseCode, Message: resp.Message}
	if e.Code == CodeNotFound {
		e.Err = ErrNotFound
	}
	return e
}

// httpError classifies a non-200 answer: 502/503/504 are unknown, anything
// else (401, 400, 404, 500...) is a failure that moved nothing.
func (c *Client) httpError(op string, raw *provider.Response, resp *Response, decodeErr error) *provider.Error {
	code, msg := "", ""
	if decodeErr == nil {
		code, msg = resp.Data.ProviderResponseCode, resp.Message
	}
	return c.caller.StatusError(op, raw, code, msg)
}

// ErrNotFound is wrapped by the *provider.Error of a call about a
// transaction_ref OnePipe does not know (code 25): errors.Is(err, ErrNotFound).
var ErrNotFound = errors.New("onepipe: transaction not found")
