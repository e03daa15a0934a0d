package paycode

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
)

// Client speaks the payment-codes API. Every call goes through a
// provider.Caller, so every call has a time-out; failures are *provider.Error.
type Client struct {
	caller *provider.Caller
	auth   http.Header
	log    *slog.Logger
}

// NewClient returns a Client for cfg (defaults applied).
func NewClient(cfg Config) (*Client, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	req, _ := http.NewRequest(http.MethodGet, cfg.BaseURL, nil)
	req.SetBasicAuth(cfg.Username, cfg.Password)
	auth := http.Header{"Authorization": req.Header["Authorization"]}
	return &Client{
		caller: provider.NewCaller(ProviderName, cfg.BaseURL, cfg.Timeout),
		auth:   auth,
		log:    cfg.Logger,
	}, nil
}

// Caller exposes the underlying caller (e.g. to share an http.Client).
func (c *Client) Caller() *provider.Caller { return c.caller }

// Create issues a new code: POST /code/create.
func (c *Client) Create(ctx context.Context, req CreateRequest) (*CreateResponse, error) {
	var out CreateResponse
	if err := c.call(ctx, "create", http.MethodPost, "/code/create", req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Get queries a code: GET /code/{code}.
func (c *Client) Get(ctx context.Context, code string) (*CodeDetails, error) {
	var out CodeDetails
	if err := c.call(ctx, "get", http.MethodGet, codePath(code, ""), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Update replaces a code's terms: PUT /code/{code}.
func (c *Client) Update(ctx context.Context, code string, req UpdateRequest) (*CodeDetails, error) {
	var out CodeDetails
	if err := c.call(ctx, "update", http.MethodPut, codePath(code, ""), req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete deletes a code: DELETE /code/{code}. It answers the deleted code.
func (c *Client) Delete(ctx context.Context, code string) (*CodeDetails, error) {
	var out CodeDetails
	if err := c.call(ctx, "delete", http.MethodDelete, codePath(code, ""), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Block stops purchases on a code: PUT /code/{code}/block.
func (c *Client) Block(ctx context.Context, code string) error {
	return c.call(ctx, "block", http.MethodPut, codePath(code, "/block"), nil, nil)
}

// Unblock allows purchases again: PUT /code/{code}/unblock.
func (c *Client) Unblock(ctx context.Context, code string) error {
	return c.call(ctx, "unblock", http.MethodPut, codePath(code, "/unblock"), nil, nil)
}

// UpdateAmount changes only the amount (and expiry): PUT /code/{code}/amount.
func (c *Client) UpdateAmount(ctx context.Context, code string, req AmountRequest) error {
	return c.call(ctx, "amount", http.MethodPut, codePath(code, "/amount"), req, nil)
}

func codePath(code, suffix string) string { return "/code/" + url.PathEscape(code) + suffix }

// call sends one request and decodes a 200 answer into out (when not nil).
func (c *Client) call(ctx context.Context, op, method, path string, body, out any) error {
	start := time.Now()
	resp, err := c.caller.Do(ctx, op, method, path, body, c.auth)
	if err != nil {
		c.log.DebugContext(ctx, "paycode call", "op", op, "error", err, "duration", time.Since(start))
		return err
	}
	c.log.DebugContext(ctx, "paycode call", "op", op, "status", resp.Status, "duration", time.Since(start))
	if resp.Status != http.StatusOK {
		return c.statusError(op, resp)
	}
	if out == nil {
		return nil
	}
	if err := resp.Decode(out); err != nil {
		// The provider acted but its answer is unreadable: outcome unknown.
		return &provider.Error{Kind: provider.KindUnknown, Provider: ProviderName, Op: op,
			Status: resp.Status, Message: "undecodable answer", Err: fmt.Errorf("decode: %w", err)}
	}
	return nil
}
