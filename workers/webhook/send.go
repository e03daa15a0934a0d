package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchyard/switchyard/orchestrator/tracing"
	"github.com/switchyard/switchyard/orchestrator/webhook"
)

// result is what one attempt got.
type result struct {
	Started    time.Time
	Latency    time.Duration
	StatusCode int // 0: no answer
	Head       string
	RetryAfter string
	Err        string // why there was no answer
}

// newClient returns the deliveries' HTTP client: the SSRF guard at dial
// time unless allowPrivate, no proxy, no redirects, timeout for the whole
// attempt.
func newClient(allowPrivate bool, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         webhook.Dialer(allowPrivate).DialContext,
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 32,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: timeout,
	}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// send POSTs body to url, signed with keys.
func send(ctx context.Context, c *http.Client, url string, keys [][]byte, eventID string, body []byte, now time.Time) result {
	r := result{Started: now}
	begin := time.Now()
	defer func() { r.Latency = time.Since(begin) }()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		r.Err = "bad url: " + err.Error()
		r.Latency = time.Since(begin)
		return r
	}
	ts := now.Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(webhook.HeaderID, eventID)
	req.Header.Set(webhook.HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(webhook.HeaderSignature, webhook.SignatureHeader(keys, eventID, ts, body))
	tracing.InjectHTTP(ctx, req.Header)
	resp, err := c.Do(req)
	if err != nil {
		r.Err = describe(err)
		r.Latency = time.Since(begin)
		return r
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, ResponseHeadBytes))
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10) // lets the connection be reused
	r.StatusCode, r.Head, r.RetryAfter = resp.StatusCode, validHead(head), resp.Header.Get("Retry-After")
	r.Latency = time.Since(begin)
	return r
}

// describe says why an attempt got no answer.
func describe(err error) string {
	switch {
	case errors.Is(err, webhook.ErrBlocked):
		return "blocked: " + err.Error()
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "timeout: " + err.Error()
	}
	return fmt.Sprintf("connection: %v", err)
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// validHead is b as valid UTF-8 text PostgreSQL accepts, at most
// ResponseHeadBytes: a rune the read cut at the end is dropped, invalid
// bytes and NULs become U+FFFD.
func validHead(b []byte) string {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				b = b[:i]
			}
			break
		}
	}
	s := strings.ReplaceAll(strings.ToValidUTF8(string(b), "\uFFFD"), "\x00", "\uFFFD")
	for len(s) > ResponseHeadBytes {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
