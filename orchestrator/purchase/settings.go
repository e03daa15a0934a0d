package purchase

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
)

// Settings are a merchant's utility settings, with the defaults filled in:
// the retry schedule and the flags (events.UtilitySettings).
type Settings struct {
	// Schedule are the delays before the first retries.
	Schedule []time.Duration `json:"schedule"`
	// Every is the delay between the retries after the schedule.
	Every time.Duration `json:"every"`
	// Horizon: a purchase whose outcome is still unknown this long after
	// its creation fails retries_exhausted.
	Horizon          time.Duration `json:"horizon"`
	ResendOnNotFound bool          `json:"resend_on_not_found,omitempty"`
	DualMessage      bool          `json:"dual_message,omitempty"`
}

// DefaultSettings: 2s, 5s, 15s, 1m, 5m, then every 5m up to 1h; a 404 on
// a retry declines; single message.
func DefaultSettings() Settings {
	return Settings{Schedule: []time.Duration{2 * time.Second, 5 * time.Second, 15 * time.Second, time.Minute, 5 * time.Minute},
		Every: 5 * time.Minute, Horizon: time.Hour}
}

// SettingsOf reads a merchant's provider_settings.utility (raw, possibly
// empty), defaults filled in.
func SettingsOf(raw json.RawMessage) (Settings, error) {
	s := DefaultSettings()
	if len(raw) == 0 {
		return s, nil
	}
	u, err := events.ParseUtilitySettings("provider_settings."+events.ProviderUtility, raw)
	if err != nil {
		return s, fmt.Errorf("purchase: merchant utility settings: %w", err)
	}
	schedule, every, horizon, err := u.Durations()
	if err != nil {
		return s, fmt.Errorf("purchase: merchant utility settings: %w", err)
	}
	if len(schedule) > 0 {
		s.Schedule = schedule
	}
	if every > 0 {
		s.Every = every
	}
	if horizon > 0 {
		s.Horizon = horizon
	}
	s.ResendOnNotFound, s.DualMessage = u.ResendOnNotFound, u.DualMessage
	return s, nil
}

// Delay is the back-off before retry n (1-based): the schedule's n-th
// delay, then Every.
func (s Settings) Delay(n int) time.Duration {
	if n >= 1 && n <= len(s.Schedule) {
		return s.Schedule[n-1]
	}
	return s.Every
}
