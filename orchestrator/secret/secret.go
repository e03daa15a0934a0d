// Package secret seals values that must never rest in clear in PostgreSQL
// (provider credentials, webhook secrets, card data in flight) with AES-256-GCM
// under the instance's secret key, and makes merchants' API keys.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
)

// KeySize is the length of the instance secret key.
const KeySize = 32

// Sealer encrypts and authenticates small values.
type Sealer struct{ aead cipher.AEAD }

// NewSealer builds a Sealer from a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key: want %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// ParseKey decodes a base64 (std or URL) 32-byte key.
func ParseKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return b, nil
		}
	}
	return nil, errors.New("secret key must be 32 bytes, base64-encoded (make one with: head -c32 /dev/urandom | base64)")
}

// LoadOrCreateKeyFile reads a base64 key from path, creating it (0600) if missing.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	if b, err := os.ReadFile(path); err == nil {
		return ParseKey(string(trimSpace(b)))
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, err
	}
	return key, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == ' ' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// Seal encrypts plain, bound to aad (associated data: what the value
// belongs to, such as its table, merchant and row); the nonce is prepended.
// A sealed value opens only with the same aad, so a blob copied to another
// row or merchant is refused instead of used.
func (s *Sealer) Seal(plain, aad []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return s.aead.Seal(nonce, nonce, plain, aad)
}

// ErrSealed is returned when a sealed value does not open: another key,
// another aad (moved from its row), or tampered.
var ErrSealed = errors.New("sealed value does not open")

// Open decrypts what Seal returned for the same aad.
func (s *Sealer) Open(sealed, aad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, ErrSealed
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}

// NewAPIKey returns a new merchant API key and the hash to store.
func NewAPIKey() (key string, hash []byte) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	key = "sk_" + base64.RawURLEncoding.EncodeToString(b)
	return key, HashAPIKey(key)
}

// HashAPIKey is the stored form of an API key. Keys are 192 random bits, so a
// plain SHA-256 is enough (no password stretching needed).
func HashAPIKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// NewWebhookSecret returns a Standard Webhooks secret, whsec_<base64>.
func NewWebhookSecret() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// NewToken returns a random URL-safe token (admin tokens).
func NewToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// AAD builds the associated data that binds a sealed value to what it
// belongs to: a kind (the table or field) and the ids of its row.
func AAD(kind string, ids ...string) []byte {
	b := []byte(kind)
	for _, id := range ids {
		b = append(b, 0)
		b = append(b, id...)
	}
	return b
}

// ProviderAccountAAD binds a merchant's sealed provider credentials.
func ProviderAccountAAD(merchantID, provider string) []byte {
	return AAD("provider_accounts", merchantID, provider)
}

// WebhookSecretAAD binds a merchant's sealed webhook secret.
func WebhookSecretAAD(merchantID string) []byte { return AAD("merchants.webhook_secret", merchantID) }

// WebhookEndpointSecretAAD binds a webhook endpoint's sealed secrets (the
// current one and, during a rotation, the previous one).
func WebhookEndpointSecretAAD(merchantID, endpointID string) []byte {
	return AAD("webhook_endpoints.secret", merchantID, endpointID)
}

// PaymentMethodTokenAAD binds a saved payment method's sealed provider token
// (payment_methods.token_sealed) to its merchant and its pm_ id.
func PaymentMethodTokenAAD(merchantID, pmID string) []byte {
	return AAD("payment_method_token", merchantID, pmID)
}
