package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// usageError is a command line the command cannot run: main exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// clientFlags are what the operator and merchant CLI (tx, events, webhooks)
// needs to talk to a running serve or dev: the HTTP API's URL and a
// merchant's API key, from flags, their environment twins, or the dev.json
// of a running dev.
type clientFlags struct {
	devDir, baseURL, apiKey, merchantID, natsURL string
	jsonOut                                      bool
}

func (c *clientFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.devDir, "dev-dir", ".switchyard", "data dir of a running switchyard dev: the defaults below come from its dev.json")
	fs.StringVar(&c.baseURL, "url", "", "base URL of the HTTP API (default: dev's)")
	fs.StringVar(&c.apiKey, "api-key", "", "the merchant's API key (default: dev's demo merchant's)")
	fs.StringVar(&c.merchantID, "merchant-id", "", "the merchant's id, for NATS (default: dev's demo merchant)")
	fs.StringVar(&c.natsURL, "nats-url", "", "NATS URL, for events tail (default: dev's)")
	fs.BoolVar(&c.jsonOut, "json", false, "print JSON instead of a table")
}

// fill completes what was not given from dev.json; a missing dev.json is
// an error only when something is still missing.
func (c *clientFlags) fill(needNATS bool) error {
	if c.baseURL != "" && c.apiKey != "" && (!needNATS || (c.natsURL != "" && c.merchantID != "")) {
		return nil
	}
	path := filepath.Join(c.devDir, "dev.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return usagef("no %s (is `switchyard dev` running here?); give --url and --api-key (or SWITCHYARD_URL and SWITCHYARD_API_KEY)", path)
	}
	var info devInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if c.baseURL == "" {
		c.baseURL = info.HTTP
		if !strings.Contains(c.baseURL, "://") {
			c.baseURL = "http://" + c.baseURL
		}
	}
	if c.apiKey == "" {
		c.apiKey, c.merchantID = info.APIKey, info.MerchantID
	}
	if c.merchantID == "" {
		c.merchantID = info.MerchantID
	}
	if c.natsURL == "" {
		c.natsURL = info.NATSURL
	}
	return nil
}

// apiError is a problem answer of the HTTP API, printed as one line.
type apiError struct {
	Status int
	Code   string `json:"code"`
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

func (e *apiError) Error() string {
	s := e.Detail
	if s == "" {
		s = http.StatusText(e.Status)
	}
	if e.Field != "" {
		s += " (field " + e.Field + ")"
	}
	return fmt.Sprintf("%s [%d %s]", s, e.Status, e.Code)
}

// call makes one request of the API and decodes a 2xx answer into out.
func (c *clientFlags) call(ctx context.Context, method, path string, query url.Values, body any, out any) error {
	u := strings.TrimRight(c.baseURL, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = strings.NewReader(string(b))
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "cli-"+fmt.Sprint(time.Now().UnixNano()))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		e := &apiError{Status: resp.StatusCode}
		_ = json.Unmarshal(b, e)
		return e
	}
	if out == nil || len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: unreadable answer: %w", method, path, err)
	}
	return nil
}

// isTerminal reports whether f is a terminal (colour, progress lines).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// exitCode is the process's exit status for err: 0 ok, 2 a usage error
// (flags, arguments), 1 anything else.
func exitCode(err error) int {
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u), isFlagError(err):
		return 2
	}
	return 1
}

// isFlagError reports whether err came from the flag package (an unknown
// flag, a bad value): it has printed the usage already.
func isFlagError(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "flag provided but not defined") || strings.HasPrefix(s, "invalid value ") ||
		strings.HasPrefix(s, "flag needs an argument") || strings.HasPrefix(s, "invalid boolean")
}
