package utility

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
)

// Header names carrying the credentials on every call.
const (
	HeaderClientID = "X-Client-Id"
	HeaderAPIKey   = "X-Api-Key"
)

// Credentials identify the merchant at the provider (client_id / api_key).
// They are sent as the X-Client-Id and X-Api-Key headers and never logged:
// String and LogValue redact them.
type Credentials struct {
	ClientID string
	APIKey   string
}

// String hides both values.
func (Credentials) String() string { return "utility.Credentials{***}" }

// LogValue hides both values.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// GoString hides both values from %#v too.
func (c Credentials) GoString() string { return c.String() }

// Config configures a Client.
type Config struct {
	BaseURL     string        // e.g. http://127.0.0.1:9000/utility
	Credentials Credentials   // client_id / api_key
	Timeout     time.Duration // per call; provider.DefaultTimeout when zero
	Logger      *slog.Logger  // quiet (discarded) when nil
	Now         func() time.Time
	HTTP        *http.Client // optional; the Caller's own client when nil
}

// WithDefaults returns cfg with defaults filled in.
func (cfg Config) WithDefaults() Config {
	if cfg.Timeout <= 0 {
		cfg.Timeout = provider.DefaultTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

func (cfg Config) validate() error {
	if cfg.BaseURL == "" {
		return errors.New("utility: BaseURL is required")
	}
	if cfg.Credentials.ClientID == "" || cfg.Credentials.APIKey == "" {
		return errors.New("utility: client id and api key are required")
	}
	return nil
}
