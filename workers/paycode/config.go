package paycode

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
)

// ProviderName is the name the connector reports in provider.Error and the
// name the contract gives the payment-codes provider.
const ProviderName = "codes"

// Config configures a Client. Build one, call WithDefaults, pass it to
// NewClient.
type Config struct {
	// BaseURL is the provider's root, e.g. http://127.0.0.1:9000/codes;
	// the client appends /code/create, /code/{code}, ...
	BaseURL string
	// Username and Password are the merchant's login, sent as HTTP Basic
	// authentication on every call. Never logged.
	Username string
	Password string
	// Timeout bounds every call (provider.DefaultTimeout when zero).
	Timeout time.Duration
	// Logger receives one debug line per call (operation, status, duration);
	// quiet (discarded) when nil.
	Logger *slog.Logger
}

// WithDefaults returns a copy of c with its zero fields filled in.
func (c Config) WithDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = provider.DefaultTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return c
}

func (c Config) validate() error {
	if c.BaseURL == "" {
		return errors.New("paycode: BaseURL is required")
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("paycode: BaseURL %q is not an http(s) URL", c.BaseURL)
	}
	if c.Username == "" || c.Password == "" {
		return errors.New("paycode: Username and Password are required")
	}
	return nil
}

// String never shows the password.
func (c Config) String() string {
	return fmt.Sprintf("paycode.Config{BaseURL:%q Username:%q Password:*** Timeout:%s}", c.BaseURL, c.Username, c.Timeout)
}

// GoString never shows the password (%#v).
func (c Config) GoString() string { return c.String() }

// LogValue never shows the password.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.BaseURL),
		slog.String("username", c.Username),
		slog.Duration("timeout", c.Timeout),
	)
}
