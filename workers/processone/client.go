package processone

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
)

// ProviderName is the provider's name in errors and logs.
const ProviderName = "processone"

// Config configures a Client.
type Config struct {
	// BaseURL is the API root, e.g. https://host or http://127.0.0.1:9000/processone;
	// "/api/..." paths are appended.
	BaseURL string
	// AuthenticationKey is the merchant instance's key, put into every
	// request body that does not carry one. Never logged.
	AuthenticationKey string
	// Timeout bounds every call (provider.DefaultTimeout when zero).
	Timeout time.Duration
	// Logger receives one debug line per call; nil is silent.
	Logger *slog.Logger
}

// Client calls the ProcessOne REST API. It is safe for concurrent use.
type Client struct {
	caller *provider.Caller
	key    string
	log    *slog.Logger
}

// NewClient returns a Client for cfg.
func NewClient(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("processone: BaseURL is required")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Client{
		caller: provider.NewCaller(ProviderName, cfg.BaseURL, cfg.Timeout),
		key:    cfg.AuthenticationKey,
		log:    log,
	}, nil
}

// Caller exposes the underlying caller (its HTTP client and time-out) for
// tests and tuning.
func (c *Client) Caller() *provider.Caller { return c.caller }

type keyed interface{ auth() *Authentication }

type resulted interface{ result() *Result }

// call posts req to path and decodes into resp. A non-Success ResponseCode
// is returned as a *provider.Error alongside the decoded resp, so callers
// can still read e.g. the TransactionId of a declined charge.
func (c *Client) call(ctx context.Context, op, path string, req keyed, resp resulted) error {
	if a := req.auth(); a.AuthenticationKey == "" {
		a.AuthenticationKey = c.key
	}
	start := time.Now()
	r, err := c.caller.Do(ctx, op, http.MethodPost, path, req, nil)
	if err != nil {
		c.log.DebugContext(ctx, "processone call", "op", op, "outcome", provider.KindOf(err).String(), "elapsed", time.Since(start))
		return err
	}
	err = c.interpret(op, r, resp)
	c.log.DebugContext(ctx, "processone call", "op", op, "status", r.Status,
		"response_code", resp.result().ResponseCode, "elapsed", time.Since(start))
	return err
}

func (c *Client) interpret(op string, r *provider.Response, resp resulted) error {
	decodeErr := r.Decode(resp)
	res := resp.result()
	if r.Status != http.StatusOK {
		return c.caller.StatusError(op, r, res.ResponseCode, res.Message)
	}
	if decodeErr != nil || res.ResponseCode == "" {
		// A 200 we cannot read: the operation may have happened.
		return &provider.Error{Kind: provider.KindUnknown, Provider: ProviderName, Op: op,
			Status: r.Status, Message: "unreadable response", Err: decodeErr}
	}
	if res.ResponseCode == CodeSuccess {
		return nil
	}
	return &provider.Error{Kind: KindOfCode(res.ResponseCode), Provider: ProviderName, Op: op,
		Status: r.Status, Code: res.ResponseCode, Message: res.Message}
}

// checkAmount refuses, before sending, an amount ProcessOne cannot carry.
func checkAmount(op string, a Amount) error {
	if !a.Cents() {
		return &provider.Error{Kind: provider.KindFailed, Provider: ProviderName, Op: op,
			Message: fmt.Sprintf("amount %s has more than two decimals", a.String())}
	}
	return nil
}

// CodeOf returns the ProcessOne ResponseCode carried by err, or "".
func CodeOf(err error) ResponseCode {
	var pe *provider.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// IsNotFound reports whether a lookup found no such transaction or token.
func IsNotFound(err error) bool { return CodeOf(err) == CodeIncorrectTransactionID }
