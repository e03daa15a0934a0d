// Package merchant creates merchants (the body of POST /v1/admin/merchants
// and of `switchyard merchant create --config`) and rotates and revokes
// their API keys.
package merchant

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/charge/settle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Spec is a merchant to create.
type Spec struct {
	Name            string                     `json:"name"`
	ConfirmDeadline string                     `json:"confirm_deadline,omitempty"` // Go duration, e.g. "15m"
	Providers       map[string]json.RawMessage `json:"providers,omitempty"`
	// Settlement is when its daily batch closes; nil: 00:00 UTC.
	Settlement *Settlement `json:"settlement,omitempty"`
	// ProviderSettings are its settings per provider, not secret (the
	// utility provider's retry schedule and flags: events.UtilitySettings).
	ProviderSettings map[string]json.RawMessage `json:"provider_settings,omitempty"`
}

// Created is the answer: the API key is shown once. A merchant has no
// webhook secret of its own: each of its webhook endpoints has one.
type Created struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	APIKey          string    `json:"api_key"`
	APIKeyPrefix    string    `json:"api_key_prefix"` // names the key for revocation
	ConfirmDeadline string    `json:"confirm_deadline"`
	Providers       []string  `json:"providers"`
	Settlement      Settled   `json:"settlement"`
	CreatedAt       time.Time `json:"created_at"`
}

var knownProviders = map[string]bool{
	events.ProviderOnoConnect: true, events.ProviderProcessOne: true, events.ProviderOnePipe: true,
	events.ProviderUtility: true, events.ProviderCodes: true,
}

// Validate checks a spec; errors are *events.FieldError.
func (s *Spec) Validate() (time.Duration, error) {
	if strings.TrimSpace(s.Name) == "" || len(s.Name) > 200 {
		return 0, events.Invalid("name", "is required (1-200 characters)")
	}
	if _, err := s.Settlement.schedule(); err != nil {
		return 0, err
	}
	d := 15 * time.Minute
	if s.ConfirmDeadline != "" {
		var err error
		d, err = time.ParseDuration(s.ConfirmDeadline)
		if err != nil || d < time.Second || d > 7*24*time.Hour {
			return 0, events.Invalid("confirm_deadline", "must be a duration between 1s and 168h, such as \"15m\"")
		}
	}
	for p, raw := range s.Providers {
		if !knownProviders[p] {
			return 0, events.Invalid("providers."+p, "unknown provider")
		}
		var m map[string]any
		if json.Unmarshal(raw, &m) != nil || m == nil {
			return 0, events.Invalid("providers."+p, "must be an object of credentials")
		}
	}
	return d, validateProviderSettings(s.ProviderSettings)
}

// settingsParsers check the settings of the providers that take any.
var settingsParsers = map[string]func(field string, raw json.RawMessage) error{
	events.ProviderUtility: func(field string, raw json.RawMessage) error {
		_, err := events.ParseUtilitySettings(field, raw)
		return err
	},
}

func validateProviderSettings(settings map[string]json.RawMessage) error {
	for p, raw := range settings {
		field := "provider_settings." + p
		if !knownProviders[p] {
			return events.Invalid(field, "unknown provider")
		}
		parse, ok := settingsParsers[p]
		if !ok {
			return events.Invalid(field, "%s takes no settings", p)
		}
		if err := parse(field, raw); err != nil {
			return err
		}
	}
	return nil
}

// Create validates spec and stores the merchant with its provider
// credentials sealed and its API key hashed.
func Create(ctx context.Context, st *store.Store, sealer *secret.Sealer, spec Spec) (*Created, error) {
	deadline, err := spec.Validate()
	if err != nil {
		return nil, err
	}
	sched, err := spec.Settlement.schedule()
	if err != nil {
		return nil, err
	}
	key, hash := secret.NewAPIKey()
	id := uuid.New()
	settled := settledOf(sched, time.Now())
	p := &store.MerchantCreateParams{
		ID: id, Name: spec.Name, APIKeyHash: hash, APIKeyPrefix: keyPrefix(key),
		ConfirmDeadline: deadline,
		Accounts:        map[string][]byte{},
		BatchCutoff:     settled.BatchCutoff, BatchTimeZone: settled.TimeZone,
		Timers:           []store.MerchantTimer{{Kind: settle.TimerKind, Due: settled.NextCutoff}},
		ProviderSettings: spec.ProviderSettings,
	}
	var provs []string
	for prov, raw := range spec.Providers {
		p.Accounts[prov] = sealer.Seal(raw, secret.ProviderAccountAAD(id.String(), prov))
		provs = append(provs, prov)
	}
	if err := st.MerchantCreate(ctx, p); err != nil {
		return nil, fmt.Errorf("create merchant: %w", err)
	}
	return &Created{ID: p.ID.String(), Name: spec.Name, APIKey: key, APIKeyPrefix: p.APIKeyPrefix,
		ConfirmDeadline: deadline.String(), Providers: provs, Settlement: settled, CreatedAt: time.Now().UTC()}, nil
}
