package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
)

// SecretPrefix starts every endpoint secret.
const SecretPrefix = "whsec_"

// SecretBytes is the length of a new endpoint secret's key (Standard
// Webhooks asks for 24 to 64 bytes).
const SecretBytes = 32

// NewSecret returns a new endpoint secret: "whsec_" and the base64 of
// SecretBytes random bytes. It is shown once and sealed at rest.
func NewSecret() (string, error) {
	key := make([]byte, SecretBytes)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// ErrBadSecret is returned for a string that is not an endpoint secret.
var ErrBadSecret = errors.New("webhook: not a whsec_ secret of 24 to 64 bytes")

// SecretKey returns the HMAC key of secret ("whsec_" + base64).
func SecretKey(secret string) ([]byte, error) {
	b64, ok := strings.CutPrefix(secret, SecretPrefix)
	if !ok {
		return nil, ErrBadSecret
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(key) < 24 || len(key) > 64 {
		return nil, ErrBadSecret
	}
	return key, nil
}
