package provider_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
)

// secretBody is sent by the transport tests; no error text may contain it.
const secretMarker = "SECRET-BODY-4111111111111111"

var secretBody = map[string]string{"pan": secretMarker, "cvv": "cvv-marker-7f3a"}

// serve starts a 127.0.0.1 server for h and a Caller pointing at it.
func serve(t *testing.T, timeout time.Duration, h http.HandlerFunc) *provider.Caller {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := provider.NewCaller("acme", srv.URL+"/root", timeout)
	t.Cleanup(c.HTTP.CloseIdleConnections)
	return c
}

// hold blocks a handler until the client gives up (its body must have been
// read, or the server never notices the disconnect) or the test ends. Call
// it after serve, so that its cleanup runs before the server's Close.
func hold(t *testing.T) func(r *http.Request) {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) }) // runs before the server's Close
	return func(r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}
}

// providerError asserts err is a *provider.Error of kind for op "charge" that
// never shows the request body.
func providerError(t *testing.T, err error, kind provider.Kind) *provider.Error {
	t.Helper()
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %T %v, want *provider.Error", err, err)
	}
	if pe.Kind != kind || pe.Provider != "acme" || pe.Op != "charge" {
		t.Fatalf("err = %+v, want kind %s, provider acme, op charge", pe, kind)
	}
	if s := pe.Error(); strings.Contains(s, secretMarker) || strings.Contains(s, "cvv-marker-7f3a") {
		t.Fatalf("error text shows the request body: %s", s)
	}
	return pe
}

func TestCallerDoAnswer(t *testing.T) {
	t.Parallel()
	type reply struct {
		ID     string `json:"id"`
		Amount int    `json:"amount"`
	}
	c := serve(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		err := json.NewDecoder(r.Body).Decode(&in)
		switch {
		case r.Method != http.MethodPost || r.URL.Path != "/root/v1/charges" || r.URL.RawQuery != "x=1":
			http.Error(w, "wrong target "+r.Method+" "+r.URL.String(), http.StatusTeapot)
		case err != nil || in["ref"] != "r-1" || in["amount"] != float64(250):
			http.Error(w, fmt.Sprintf("wrong body %v %v", in, err), http.StatusTeapot)
		case r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Accept") != "application/json":
			http.Error(w, "wrong content headers", http.StatusTeapot)
		case r.Header.Get("X-Merchant") != "m-1" || strings.Join(r.Header.Values("X-Multi"), ",") != "a,b":
			http.Error(w, fmt.Sprintf("headers not passed through: %v", r.Header), http.StatusTeapot)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Reply", "yes")
			_, _ = io.WriteString(w, `{"id":"ch_1","amount":250}`)
		}
	})
	h := http.Header{"X-Merchant": {"m-1"}, "X-Multi": {"a", "b"}}
	resp, err := c.Do(context.Background(), "charge", http.MethodPost, "/v1/charges?x=1",
		map[string]any{"ref": "r-1", "amount": 250}, h)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("HTTP %d: %s", resp.Status, resp.Body)
	}
	if resp.Header.Get("X-Reply") != "yes" {
		t.Fatalf("response headers %v", resp.Header)
	}
	var out reply
	if err := resp.Decode(&out); err != nil || out != (reply{"ch_1", 250}) {
		t.Fatalf("Decode = %+v, %v", out, err)
	}
}

func TestCallerDoNoBodyAndStatuses(t *testing.T) {
	t.Parallel()
	c := serve(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "" || r.ContentLength > 0 {
			http.Error(w, "a nil body was sent with a Content-Type or content", http.StatusTeapot)
			return
		}
		switch r.URL.Path {
		case "/root/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/root/busy":
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"error":"busy"}`)
		}
	})
	resp, err := c.Do(context.Background(), "get", http.MethodGet, "/empty", nil, nil)
	if err != nil || resp.Status != http.StatusNoContent {
		t.Fatalf("GET /empty: %+v, %v", resp, err)
	}
	var v map[string]any
	if err := resp.Decode(&v); err != nil || v != nil {
		t.Fatalf("Decode of an empty body = %v, %v; want nothing, nil", v, err)
	}
	resp, err = c.Do(context.Background(), "get", http.MethodGet, "/busy", nil, nil)
	if err != nil {
		t.Fatalf("a 503 must come back as a Response, got %v", err)
	}
	if resp.Status != http.StatusServiceUnavailable || string(resp.Body) != `{"error":"busy"}` {
		t.Fatalf("GET /busy: HTTP %d %s", resp.Status, resp.Body)
	}
}

func TestCallerDoTimeout(t *testing.T) {
	t.Parallel()
	var called atomic.Int64
	var wait func(*http.Request)
	c := serve(t, 200*time.Millisecond, func(w http.ResponseWriter, r *http.Request) {
		called.Add(1)
		wait(r) // answers only after the client gave up
	})
	wait = hold(t)
	start := time.Now()
	_, err := c.Do(context.Background(), "charge", http.MethodPost, "/slow", secretBody, nil)
	pe := providerError(t, err, provider.KindUnknown)
	if el := time.Since(start); el < 200*time.Millisecond || el > 5*time.Second {
		t.Fatalf("gave up after %v, want about the 200ms time-out", el)
	}
	if !errors.Is(err, context.DeadlineExceeded) || pe.Status != 0 || provider.NotSent(err) {
		t.Fatalf("err = %v (status %d), want a deadline with no status", err, pe.Status)
	}
	if called.Load() != 1 {
		t.Fatalf("handler ran %d times, want 1", called.Load())
	}
}

func TestCallerDoConnectionClosed(t *testing.T) {
	t.Parallel()
	var called atomic.Int64
	c := serve(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) {
		called.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		_ = conn.Close()
	})
	_, err := c.Do(context.Background(), "charge", http.MethodPost, "/hangup", secretBody, nil)
	pe := providerError(t, err, provider.KindUnknown)
	if pe.Status != 0 || provider.NotSent(err) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want an unknown outcome without status or time-out", err)
	}
	if called.Load() != 1 {
		t.Fatalf("handler ran %d times, want 1 (no replay)", called.Load())
	}
}

func TestCallerDoTruncatedAnswer(t *testing.T) {
	t.Parallel()
	c := serve(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":")
		_ = buf.Flush()
	})
	_, err := c.Do(context.Background(), "charge", http.MethodPost, "/short", secretBody, nil)
	pe := providerError(t, err, provider.KindUnknown)
	if pe.Status != http.StatusOK || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v (status %d), want an unexpected EOF after HTTP 200", err, pe.Status)
	}
}

func TestCallerDoRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	c := provider.NewCaller("acme", "http://"+addr, 5*time.Second)
	_, err = c.Do(context.Background(), "charge", http.MethodPost, "/v1/charges", secretBody, nil)
	pe := providerError(t, err, provider.KindFailed)
	if !provider.NotSent(pe.Err) || !errors.Is(err, syscall.ECONNREFUSED) || pe.Status != 0 {
		t.Fatalf("err = %v, want a refused connection that was not sent", err)
	}
	if provider.IsUnknown(err) || !provider.IsFailed(err) {
		t.Fatalf("IsUnknown/IsFailed disagree with KindFailed for %v", err)
	}
}

func TestCallerDoLocalFailures(t *testing.T) {
	t.Parallel()
	var called atomic.Int64
	c := serve(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) { called.Add(1) })
	_, err := c.Do(context.Background(), "charge", http.MethodPost, "/x", map[string]any{"ch": make(chan int)}, nil)
	if pe := providerError(t, err, provider.KindFailed); pe.Message != "encode request" {
		t.Fatalf("unencodable body: %v", err)
	}
	bad := provider.NewCaller("acme", "http://[::1", time.Second)
	_, err = bad.Do(context.Background(), "charge", http.MethodGet, "/x", nil, nil)
	if pe := providerError(t, err, provider.KindFailed); pe.Message != "build request" {
		t.Fatalf("bad base URL: %v", err)
	}
	if called.Load() != 0 {
		t.Fatalf("server called %d times", called.Load())
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestNotSent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, true},
		{"refused wrapped", fmt.Errorf("post: %w", syscall.ECONNREFUSED), true},
		{"dns", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}}, true},
		{"dial other", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}, true},
		{"dial timeout", &net.OpError{Op: "dial", Net: "tcp", Err: timeoutErr{}}, false},
		{"read reset", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, false},
		{"eof", io.EOF, false},
		{"deadline", context.DeadlineExceeded, false},
		{"plain", errors.New("boom"), false},
		{"nil", nil, false},
	}
	for _, tc := range tests {
		if got := provider.NotSent(tc.err); got != tc.want {
			t.Errorf("%s: NotSent(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestStatusError(t *testing.T) {
	t.Parallel()
	c := provider.NewCaller("acme", "http://127.0.0.1:1", time.Second)
	tests := []struct {
		status int
		want   provider.Kind
	}{
		{504, provider.KindUnknown}, {502, provider.KindUnknown}, {503, provider.KindUnknown},
		{400, provider.KindFailed}, {401, provider.KindFailed}, {404, provider.KindFailed},
		{409, provider.KindFailed}, {500, provider.KindFailed}, {501, provider.KindFailed},
	}
	for _, tc := range tests {
		e := c.StatusError("charge", &provider.Response{Status: tc.status, Body: []byte(secretMarker)}, "", "")
		if e.Kind != tc.want || e.Status != tc.status || e.Provider != "acme" || e.Op != "charge" {
			t.Errorf("HTTP %d: %+v, want kind %s", tc.status, e, tc.want)
		}
		want := fmt.Sprintf("acme charge: %s (HTTP %d): unexpected HTTP %d", tc.want, tc.status, tc.status)
		if e.Error() != want {
			t.Errorf("HTTP %d: Error() = %q, want %q", tc.status, e.Error(), want)
		}
	}
	e := c.StatusError("refund", &provider.Response{Status: 400}, "E17", "amount too large")
	if want := "acme refund: failed (HTTP 400) code=E17: amount too large"; e.Error() != want {
		t.Fatalf("Error() = %q, want %q", e.Error(), want)
	}
}

func TestKindHelpers(t *testing.T) {
	t.Parallel()
	pe := func(k provider.Kind) error { return &provider.Error{Kind: k, Provider: "acme", Op: "charge"} }
	tests := []struct {
		name                                string
		err                                 error
		kind                                provider.Kind
		unknown, declined, failed, retryLtr bool
	}{
		{"nil", nil, 0, false, false, false, false},
		{"plain error counts as unknown", errors.New("boom"), 0, true, false, false, false},
		{"deadline counts as unknown", context.DeadlineExceeded, 0, true, false, false, false},
		{"declined", pe(provider.KindDeclined), provider.KindDeclined, false, true, false, false},
		{"failed", pe(provider.KindFailed), provider.KindFailed, false, false, true, false},
		{"unknown", pe(provider.KindUnknown), provider.KindUnknown, true, false, false, false},
		{"retry later", pe(provider.KindRetryLater), provider.KindRetryLater, false, false, false, true},
		{"wrapped declined", fmt.Errorf("charge r-1: %w", pe(provider.KindDeclined)), provider.KindDeclined, false, true, false, false},
		{"wrapped retry", fmt.Errorf("a: %w", fmt.Errorf("b: %w", pe(provider.KindRetryLater))), provider.KindRetryLater, false, false, false, true},
	}
	for _, tc := range tests {
		if got := provider.KindOf(tc.err); got != tc.kind {
			t.Errorf("%s: KindOf = %v, want %v", tc.name, got, tc.kind)
		}
		got := [4]bool{provider.IsUnknown(tc.err), provider.IsDeclined(tc.err), provider.IsFailed(tc.err), provider.IsRetryLater(tc.err)}
		if want := [4]bool{tc.unknown, tc.declined, tc.failed, tc.retryLtr}; got != want {
			t.Errorf("%s: IsUnknown/IsDeclined/IsFailed/IsRetryLater = %v, want %v", tc.name, got, want)
		}
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	for k, want := range map[provider.Kind]string{provider.KindDeclined: "declined", provider.KindFailed: "failed",
		provider.KindUnknown: "unknown", provider.KindRetryLater: "retry_later", 0: "kind(0)", 9: "kind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

func TestErrorTextAndUnwrap(t *testing.T) {
	t.Parallel()
	cause := errors.New("read tcp: connection reset")
	e := &provider.Error{Kind: provider.KindUnknown, Provider: "acme", Op: "confirm", Status: 504, Code: "91",
		Message: "issuer unavailable", Err: cause}
	if want := "acme confirm: unknown (HTTP 504) code=91: issuer unavailable: read tcp: connection reset"; e.Error() != want {
		t.Fatalf("Error() = %q, want %q", e.Error(), want)
	}
	if !errors.Is(e, cause) || errors.Unwrap(e) != cause {
		t.Fatal("Unwrap does not reach the cause")
	}
	if got := (&provider.Error{Kind: provider.KindDeclined, Provider: "acme", Op: "charge"}).Error(); got != "acme charge: declined" {
		t.Fatalf("bare Error() = %q", got)
	}
}

// A server that answers only after the caller's own context is cancelled
// sees the cancellation; the outcome is unknown, never failed.
func TestCallerDoParentCancel(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{})
	var wait func(*http.Request)
	c := serve(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		wait(r)
	})
	wait = hold(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := c.Do(ctx, "charge", http.MethodPost, "/x", secretBody, nil)
	providerError(t, err, provider.KindUnknown)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
