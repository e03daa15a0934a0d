package secret

import (
	"bytes"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	aad := ProviderAccountAAD("m-1", "onoconnect")
	sealed := s.Seal([]byte("4111111111111111"), aad)
	if bytes.Contains(sealed, []byte("4111")) {
		t.Fatal("sealed value shows the plain text")
	}
	plain, err := s.Open(sealed, aad)
	if err != nil || string(plain) != "4111111111111111" {
		t.Fatalf("open: %q %v", plain, err)
	}
	// Bound to its row: the same blob moved to another merchant, provider
	// or kind of value does not open.
	for _, other := range [][]byte{ProviderAccountAAD("m-2", "onoconnect"), ProviderAccountAAD("m-1", "processone"),
		WebhookSecretAAD("m-1"), nil} {
		if _, err := s.Open(sealed, other); err == nil {
			t.Fatalf("opened with the associated data %q", other)
		}
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := s.Open(sealed, aad); err == nil {
		t.Fatal("a tampered value opened")
	}
	if _, err := NewSealer(key[:10]); err == nil {
		t.Fatal("short key accepted")
	}
}

func TestAPIKeyHash(t *testing.T) {
	k, h := NewAPIKey()
	if !bytes.Equal(HashAPIKey(k), h) || len(k) < 30 {
		t.Fatalf("key %q", k)
	}
	k2, _ := NewAPIKey()
	if k == k2 {
		t.Fatal("two keys alike")
	}
}

// TestPaymentMethodTokenAAD: a saved payment method's provider token opens
// only for its merchant and its pm_ id, and not as another kind of value.
func TestPaymentMethodTokenAAD(t *testing.T) {
	s, err := NewSealer(bytes.Repeat([]byte{9}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal([]byte("tok-1"), PaymentMethodTokenAAD("m-1", "pm_a"))
	if plain, err := s.Open(sealed, PaymentMethodTokenAAD("m-1", "pm_a")); err != nil || string(plain) != "tok-1" {
		t.Fatalf("open: %q %v", plain, err)
	}
	for _, other := range [][]byte{PaymentMethodTokenAAD("m-2", "pm_a"), PaymentMethodTokenAAD("m-1", "pm_b"),
		AAD("payment_method", "m-1", "pm_a")} {
		if _, err := s.Open(sealed, other); err == nil {
			t.Fatalf("opened with the associated data %q", other)
		}
	}
}
