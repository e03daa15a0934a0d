package onoconnect

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
)

// Client calls one ono//connect endpoint. Every call has the client's
// time-out. It is safe for concurrent use.
type Client struct {
	caller *provider.Caller
}

// NewClient returns a client for baseURL (e.g. https://api.test.onoconnect.com
// or http://127.0.0.1:9000/onoconnect); the provider's paths are appended to
// it. timeout bounds every call (provider.DefaultTimeout when zero).
func NewClient(baseURL string, timeout time.Duration) *Client {
	return &Client{caller: provider.NewCaller(providerName, strings.TrimRight(baseURL, "/"), timeout)}
}

// Caller exposes the underlying caller, e.g. to swap its http.Client in tests.
func (c *Client) Caller() *provider.Caller { return c.caller }

func (cred Credentials) header() http.Header {
	h := make(http.Header, 2)
	h.Set(headerMerchant, cred.MerchantID)
	h.Set(headerToken, cred.TransactionToken)
	return h
}

// post sends body to path with the merchant's headers.
func (c *Client) post(ctx context.Context, op, path string, cred Credentials, body any) (*provider.Response, error) {
	return c.caller.Do(ctx, op, http.MethodPost, path, body, cred.header())
}

// failure builds the *provider.Error for an HTTP answer, reading the
// provider's error code and message from the body when there is one.
func (c *Client) failure(op string, r *provider.Response, kind provider.Kind, code string) *provider.Error {
	var eb errorBody
	_ = r.Decode(&eb)
	if code == "" {
		code = eb.Code
		if code == "" {
			code = eb.Error
		}
	}
	e := c.caller.StatusError(op, r, code, eb.Message)
	e.Kind = kind
	return e
}
