package consent

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// ErrNoSecret: the consent holds no such sealed value (never given, or
// dropped once no call needed it).
var ErrNoSecret = errors.New("consent: no such sealed value")

// Auth opens the consent's auth, as JSON (an events.ConsentAuth), for the
// connector's consent and validate calls. It is dropped once the consent is
// granted or failed.
func Auth(s *secret.Sealer, t *store.Txn) (json.RawMessage, error) {
	return open(s, t, DetailAuth, PurposeAuth)
}

// OTP opens the OTP (or value) of consent.validate, for the validate call.
// It is dropped once the call's answer is known.
func OTP(s *secret.Sealer, t *store.Txn) (string, error) {
	b, err := open(s, t, DetailOTP, PurposeOTP)
	return string(b), err
}

// ProviderToken opens the provider token of a granted consent, for a hold's
// calls (the hold's parent is the consent).
func ProviderToken(s *secret.Sealer, t *store.Txn) (string, error) {
	b, err := open(s, t, DetailProviderToken, PurposeProviderTok)
	return string(b), err
}

// Customer is the customer the consent was asked of.
func Customer(t *store.Txn) (events.ConsentCustomer, bool) {
	var c events.ConsentCustomer
	ok := lifecycle.Detail(t, detailCustomer, &c)
	return c, ok
}

// Granted reports whether t is a granted consent, and when its token
// expires (zero when the provider gave no expiry).
func Granted(t *store.Txn) (expires time.Time, ok bool) {
	if t.Type != events.TypeConsent || t.Status != events.StatusGranted {
		return time.Time{}, false
	}
	if s := state(t); s.TokenExpiresAt != nil {
		expires = *s.TokenExpiresAt
	}
	return expires, true
}

func open(s *secret.Sealer, t *store.Txn, key, purpose string) ([]byte, error) {
	plain, ok, err := lifecycle.OpenDetail(s, t, key, purpose)
	switch {
	case err != nil:
		return nil, fmt.Errorf("consent %s: open %s: %w", t.ID, key, err)
	case !ok:
		return nil, fmt.Errorf("consent %s: %s: %w", t.ID, key, ErrNoSecret)
	}
	return plain, nil
}
