package events

import (
	"encoding/json"
	"fmt"
	"time"
)

// UtilitySettings are a merchant's settings for the utility provider (not
// secret), under provider_settings.utility of the merchant body. Durations
// are Go durations ("2s", "5m"); empty fields take the purchase
// lifecycle's defaults (2s, 5s, 15s, 1m, 5m, then every 5m up to 1h; no
// resend on a 404; single message).
type UtilitySettings struct {
	// RetrySchedule are the delays before the first retries of a purchase
	// whose outcome is unknown.
	RetrySchedule []string `json:"retry_schedule,omitempty"`
	// RetryEvery is the delay between later retries.
	RetryEvery string `json:"retry_every,omitempty"`
	// RetryHorizon is how long after its creation a purchase is retried
	// before it fails retries_exhausted.
	RetryHorizon string `json:"retry_horizon,omitempty"`
	// ResendOnNotFound: a 404 on a retry (the provider never received the
	// purchase) sends it again as a normal purchase with the same id,
	// instead of declining it.
	ResendOnNotFound bool `json:"resend_on_not_found,omitempty"`
	// DualMessage: a confirmation advice follows the tokens, and a purchase
	// that ends without tokens gets a reversal advice.
	DualMessage bool `json:"dual_message,omitempty"`
}

// Bounds of UtilitySettings.
const (
	maxRetrySchedule = 20
	maxRetryDelay    = 24 * time.Hour
	maxRetryHorizon  = 7 * 24 * time.Hour
)

// ParseUtilitySettings reads and checks raw, naming bad fields under field
// ("provider_settings.utility").
func ParseUtilitySettings(field string, raw json.RawMessage) (UtilitySettings, error) {
	var s UtilitySettings
	var probe map[string]json.RawMessage
	if json.Unmarshal(raw, &probe) != nil || probe == nil {
		return s, Invalid(field, "must be an object")
	}
	if err := DecodeAt(field, raw, &s); err != nil {
		return s, err
	}
	if len(s.RetrySchedule) > maxRetrySchedule {
		return s, Invalid(field+".retry_schedule", "has more than %d delays", maxRetrySchedule)
	}
	for i, d := range s.RetrySchedule {
		if _, err := settingDuration(fmt.Sprintf("%s.retry_schedule[%d]", field, i), d, maxRetryDelay); err != nil {
			return s, err
		}
	}
	if _, err := settingDuration(field+".retry_every", s.RetryEvery, maxRetryDelay); err != nil {
		return s, err
	}
	_, err := settingDuration(field+".retry_horizon", s.RetryHorizon, maxRetryHorizon)
	return s, err
}

// Durations returns the settings' schedule, interval and horizon; zero for
// what is not set. Call it on settings ParseUtilitySettings accepted.
func (s UtilitySettings) Durations() (schedule []time.Duration, every, horizon time.Duration, err error) {
	for i, d := range s.RetrySchedule {
		v, err := settingDuration(fmt.Sprintf("retry_schedule[%d]", i), d, maxRetryDelay)
		if err != nil {
			return nil, 0, 0, err
		}
		schedule = append(schedule, v)
	}
	if every, err = settingDuration("retry_every", s.RetryEvery, maxRetryDelay); err != nil {
		return nil, 0, 0, err
	}
	horizon, err = settingDuration("retry_horizon", s.RetryHorizon, maxRetryHorizon)
	return schedule, every, horizon, err
}

// settingDuration parses a positive duration of at most max; "" is zero.
func settingDuration(field, s string, max time.Duration) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Second || d > max {
		return 0, Invalid(field, "must be a duration from 1s to %s, such as \"5m\"", max)
	}
	return d, nil
}
