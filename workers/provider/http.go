package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/switchyard/switchyard/orchestrator/tracing"
)

// DefaultTimeout bounds every provider call that has no deadline of its own.
const DefaultTimeout = 10 * time.Second

// maxBody bounds how much of a provider response is read.
const maxBody = 4 << 20

// Caller sends JSON requests to one provider and classifies transport errors.
// The zero value is not usable; build it with NewCaller.
type Caller struct {
	Provider string
	BaseURL  string
	HTTP     *http.Client
	Timeout  time.Duration
}

// NewCaller returns a Caller with its own http.Client and the given per-call
// time-out (DefaultTimeout when zero).
func NewCaller(provider, baseURL string, timeout time.Duration) *Caller {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	tr.MaxIdleConns = 512
	return &Caller{Provider: provider, BaseURL: baseURL, HTTP: &http.Client{Transport: tr}, Timeout: timeout}
}

// Response is a provider's raw answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Decode unmarshals the body into v.
func (r *Response) Decode(v any) error {
	if len(bytes.TrimSpace(r.Body)) == 0 {
		return nil
	}
	return json.Unmarshal(r.Body, v)
}

// Do sends method path with body (marshalled as JSON when not nil) and the
// given headers. Transport errors come back as *Error: KindFailed when the
// request certainly never reached the provider (connection refused, DNS),
// KindUnknown otherwise (time-out, reset, truncated answer). Any HTTP status
// is returned as a Response with a nil error: interpreting statuses is the
// connector's job.
func (c *Caller) Do(ctx context.Context, op, method, path string, body any, header http.Header) (*Response, error) {
	var rdr io.Reader
	var reqBody []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, &Error{Kind: KindFailed, Provider: c.Provider, Op: op, Message: "encode request", Err: err}
		}
		rdr, reqBody = bytes.NewReader(b), b
	}
	rec, start := recorderOf(ctx), time.Now()
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rdr)
	if err != nil {
		return nil, &Error{Kind: KindFailed, Provider: c.Provider, Op: op, Message: "build request", Err: err}
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	tracing.InjectHTTP(ctx, req.Header)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		rec.add(method, path, 0, reqBody, nil, time.Since(start), err)
		return nil, c.transportError(op, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	rec.add(method, path, resp.StatusCode, reqBody, b, time.Since(start), err)
	if err != nil {
		return nil, &Error{Kind: KindUnknown, Provider: c.Provider, Op: op, Status: resp.StatusCode, Message: "read response", Err: err}
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

func (c *Caller) transportError(op string, err error) *Error {
	if NotSent(err) {
		return &Error{Kind: KindFailed, Provider: c.Provider, Op: op, Message: "request not sent", Err: err}
	}
	return &Error{Kind: KindUnknown, Provider: c.Provider, Op: op, Message: "no answer", Err: err}
}

// NotSent reports whether a transport error proves the request never reached
// the provider: the connection was refused or the host could not be resolved.
func NotSent(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" && !opErr.Timeout() {
		return true
	}
	return false
}

// StatusError builds the *Error for an HTTP status the connector does not
// treat specially: 504 and 5xx other than 500/501 are unknown; 4xx and 500
// are failures the provider reported.
func (c *Caller) StatusError(op string, r *Response, code, message string) *Error {
	k := KindFailed
	switch {
	case r.Status == http.StatusGatewayTimeout, r.Status == http.StatusBadGateway, r.Status == http.StatusServiceUnavailable:
		k = KindUnknown
	}
	if message == "" {
		message = fmt.Sprintf("unexpected HTTP %d", r.Status)
	}
	return &Error{Kind: k, Provider: c.Provider, Op: op, Status: r.Status, Code: code, Message: message}
}
